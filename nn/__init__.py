"""chainrule's neural-network library: neurons, layers, losses and training on autograd Values."""

from autograd._version import __version__
from nn import data, losses, optim
from nn.io import load
from nn.layers import ACTIVATIONS, MLP, Dropout, Layer, Neuron, softmax
from nn.module import Module, Sequential
from nn.pictures import draw_network, plot_decision_boundary
from nn.receptive import receptive_fields
from nn.train import History, accuracy, fit, predict

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Dropout",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Sequential",
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
    "softmax",
]
