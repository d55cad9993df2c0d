"""Training curves and decision boundaries: coloured by class, with a key, on a log scale."""

from __future__ import annotations

import pytest

import nn
from nn.plots import COLOURS, plot_decision_boundary, plot_history

pytest.importorskip("matplotlib")


def test_one_output_regions_take_the_colours_of_their_classes_and_a_legend_names_them():
    xs, ys = nn.data.moons(40, seed=0)
    model = nn.MLP(2, [8, 1], activation="relu", seed=0)
    figure = plot_decision_boundary(model, xs, [2 * y - 1 for y in ys], resolution=20)
    ax = figure.axes[0]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["class -1", "class 1", "decision boundary"]
    surface = next(c for c in ax.collections if c.get_gid() == "score")
    colours = surface.get_cmap()([0.0, 1.0])
    from matplotlib.colors import to_rgba

    assert tuple(colours[0]) == pytest.approx(to_rgba(COLOURS[0]))
    assert tuple(colours[1]) == pytest.approx(to_rgba(COLOURS[1]))
    points = next(c for c in ax.collections if c.get_gid() == "points")
    assert {tuple(f) for f in points.get_facecolors()} == {to_rgba(COLOURS[0]), to_rgba(COLOURS[1])}


def test_several_outputs_have_a_key_too():
    xs = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    model = nn.MLP(2, [4, 3], seed=0)
    figure = plot_decision_boundary(model, xs, [0, 1, 2], resolution=10)
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "class 2", "decision boundary"]


def test_the_loss_can_be_drawn_on_a_log_scale():
    history = nn.History(loss=[2.0, 0.1, 0.001], accuracy=[0.5, 1.0, 1.0])
    assert history.plot().axes[0].get_yscale() == "linear"
    ax = history.plot(log_loss=True).axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "loss (log scale)"
    with pytest.raises(ValueError, match="logarithmic loss axis needs every loss > 0"):
        plot_history(nn.History(loss=[1.0, 0.0]), log_loss=True)
    with pytest.raises(TypeError, match="log_loss must be True or False"):
        plot_history(history, log_loss="yes")
