"""chainrule's neural-network library: neurons, layers, losses and training on autograd Values."""

from autograd._version import __version__
from nn import data, losses, optim
from nn.activations import ACTIVATIONS, LeakyReLU, ReLU, Sigmoid, Tanh
from nn.layers import MLP, Dropout, Layer, Linear, Neuron, softmax
from nn.module import Module, load, save, to_torch
from nn.pictures import draw_network
from nn.plots import plot_decision_boundary
from nn.receptive import receptive_fields
from nn.sequential import Sequential
from nn.train import History, accuracy, fit, predict

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Dropout",
    "History",
    "Layer",
    "LeakyReLU",
    "Linear",
    "Module",
    "Neuron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "__version__",
    "accuracy",
    "data",
    "draw_network",
    "fit",
    "load",
    "losses",
    "optim",
    "plot_decision_boundary",
    "predict",
    "receptive_fields",
    "save",
    "softmax",
    "to_torch",
]
