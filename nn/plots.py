"""Plots of training and of decision boundaries, drawn with matplotlib (imported when used).

>>> from nn import History
>>> figure = plot_history(History(loss=[1.0, 0.5]))
>>> figure.axes[0].get_ylabel()
'loss'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from autograd import palette
from autograd.numbers import whole_number
from nn.activity import inputs_of, number_of, read_inputs
from nn.network import activation_on_arrays, bias_of, model_layers, weights_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["COLOURS", "plot_decision_boundary", "plot_history"]

#: The class colours of decision-boundary plots (matplotlib's tab10), in class order.
COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def plot_history(history: Any, ax: Axes | None = None, *, log_loss: bool = False) -> Figure:
    """Loss (left axis) and accuracy (right axis) per epoch of ``history`` (an ``nn.History``).

    Draws on ``ax`` if given, else on a new figure made without pyplot (no window needed);
    returns the figure. Accuracy is drawn when the history has one number per epoch.
    ``log_loss=True`` puts the loss on a logarithmic axis, where a loss that flattens out near
    0 keeps showing its progress.

    >>> from nn import History
    >>> figure = plot_history(History(loss=[1.0, 0.5, 0.2], accuracy=[0.5, 0.75, 1.0]))
    >>> [[float(y) for y in line.get_ydata()] for ax in figure.axes for line in ax.lines]
    [[1.0, 0.5, 0.2], [0.5, 0.75, 1.0]]
    >>> plot_history(History(loss=[1.0, 0.01]), log_loss=True).axes[0].get_yscale()
    'log'
    """
    loss = _series(history, "loss")
    if not loss:
        raise ValueError("plot_history: the history has no epochs yet; train the model first.")
    if not isinstance(log_loss, bool):
        raise TypeError(f"plot_history: log_loss must be True or False, not {log_loss!r:.40}")
    if log_loss and min(loss) <= 0:
        raise ValueError(
            f"plot_history: a logarithmic loss axis needs every loss > 0, but the smallest is "
            f"{min(loss)!r}; plot it with log_loss=False."
        )
    accuracy = _series(history, "accuracy", required=False)
    figure, ax = _figure_and_axes(ax, "plot_history")
    from matplotlib.ticker import MaxNLocator

    epochs = list(range(1, len(loss) + 1))
    marker = "." if len(loss) < 30 else None
    handles = ax.plot(epochs, loss, color="#1f77b4", marker=marker, label="loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)" if log_loss else "loss")
    if log_loss:
        ax.set_yscale("log")
    ax.set_title("training")
    if accuracy and len(accuracy) == len(loss) and all(a is not None for a in accuracy):
        right = ax.twinx()
        handles += right.plot(epochs, accuracy, color="#ff7f0e", marker=marker, label="accuracy")
        right.set_ylabel("accuracy")
        right.set_ylim(-0.02, 1.02 if max(accuracy) <= 1.0 else max(accuracy) * 1.02)
    ax.legend(handles=handles, loc="center right")
    return figure


def _series(history: Any, name: str, required: bool = True) -> list[Any]:
    series = getattr(history, name, None)
    if series is None:
        if required:
            raise TypeError(
                f"plot_history needs a training history with a .{name} list (what nn.fit "
                f"returns), not {type(history).__name__}."
            )
        return []
    return [None if v is None else float(v) for v in series]


def _figure_and_axes(ax: Any, who: str) -> tuple[Figure, Axes]:
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6.0, 4.0), layout="constrained")
        return figure, figure.add_subplot()
    if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
        raise TypeError(f"{who}: ax must be a matplotlib Axes, not {type(ax).__name__}.")
    return ax.figure, ax


def plot_decision_boundary(
    model: Any,
    inputs: Sequence[Sequence[float]],
    labels: Sequence[Any],
    ax: Axes | None = None,
    resolution: int = 100,
) -> Figure:
    """The model's score over the plane of 2-D ``inputs``, with the points coloured by label.

    One output: each side of the decision line (where the output crosses 0, or 0.5 for a
    sigmoid output; drawn in yellow) is coloured like the class the model gives it, deeper
    where the model is surer. Several outputs: each region is coloured by the class with the
    largest output. The points are drawn on top in their class's colour (a one-hot label
    counts as its class), and a legend names the classes. The grid has
    ``resolution`` × ``resolution`` points over the data's range plus a margin. Artists carry
    gids ``"score"``, ``"boundary"`` and ``"points"``. Returns the figure.

    >>> from nn import MLP
    >>> figure = plot_decision_boundary(MLP(2, [4, 1], seed=0), [[0, 0], [1, 1]], [0, 1],
    ...                                 resolution=20)
    >>> [artist.get_gid() for artist in figure.axes[0].collections]
    ['score', 'boundary', 'points']
    """
    import numpy as np

    layers = model_layers(model)
    nin = inputs_of(layers)
    if nin != 2:
        raise ValueError(
            f"plot_decision_boundary draws 2-D data, but this model takes {nin} inputs; use a "
            "model and data with exactly 2 inputs."
        )
    points = np.array(read_inputs(inputs, 2, "plot_decision_boundary"))
    classes = _classes(labels, len(points))
    whole_number(resolution, "plot_decision_boundary: resolution", minimum=2)
    figure, ax = _figure_and_axes(ax, "plot_decision_boundary")
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * 0.15, 0.5)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    scores = _forward_grid(layers, np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    kinds = sorted(set(classes), key=_sort_key)
    if scores.shape[1] == 1:
        from matplotlib.colors import LinearSegmentedColormap

        score = scores[:, 0].reshape(grid_x.shape)
        level = 0.5 if layers[-1].activation == "sigmoid" else 0.0
        spread = max(float(np.abs(score - level).max()), 1e-12)
        # Below the line: the first class's colour; above: the last class's; white between.
        sides = LinearSegmentedColormap.from_list(
            "classes", [COLOURS[0], "#ffffff", COLOURS[(len(kinds) - 1) % len(COLOURS)]]
        )
        surface = ax.contourf(
            grid_x,
            grid_y,
            score,
            levels=20,
            cmap=sides,
            vmin=level - spread,
            vmax=level + spread,
            alpha=0.6,
        )
        boundary = ax.contour(
            grid_x, grid_y, score, levels=[level], colors=[palette.HIGHLIGHT], linewidths=2
        )
    else:
        predicted = scores.argmax(axis=1).reshape(grid_x.shape)
        count = scores.shape[1]
        surface = ax.contourf(
            grid_x,
            grid_y,
            predicted,
            levels=np.arange(count + 1) - 0.5,
            cmap="tab10",
            vmin=-0.5,
            vmax=9.5,
            alpha=0.35,
        )
        boundary = ax.contour(
            grid_x,
            grid_y,
            predicted,
            levels=np.arange(count - 1) + 0.5,
            colors=[palette.TEXT],
            linewidths=1,
        )
    surface.set_gid("score")
    boundary.set_gid("boundary")
    point_colours = [COLOURS[kinds.index(c) % len(COLOURS)] for c in classes]
    scatter = ax.scatter(
        points[:, 0],
        points[:, 1],
        c=point_colours,
        edgecolors="white",
        linewidths=0.8,
        s=30,
        zorder=3,
    )
    scatter.set_gid("points")
    from matplotlib.lines import Line2D

    keys = [
        Line2D([], [], linestyle="", marker="o", markersize=7, markeredgecolor="white",
               markerfacecolor=COLOURS[i % len(COLOURS)], label=f"class {_label_text(kind)}")
        for i, kind in enumerate(kinds)
    ]  # fmt: skip
    keys.append(Line2D([], [], color=palette.HIGHLIGHT if scores.shape[1] == 1 else palette.TEXT,
                       label="decision boundary"))  # fmt: skip
    ax.legend(handles=keys, loc="upper right", framealpha=0.85)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("decision boundary")
    return figure


def _label_text(label: Any) -> str:
    """A class label as people write it: 1 rather than 1.0."""
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def _classes(labels: object, count: int) -> list[Any]:
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise TypeError(
            f"plot_decision_boundary: labels must be a list (one per input), not "
            f"{type(labels).__name__}."
        )
    if len(labels) != count:
        raise ValueError(
            f"plot_decision_boundary: {len(labels)} labels for {count} inputs; give one label "
            "per input."
        )
    classes = []
    for label in labels:
        if isinstance(label, Sequence) and not isinstance(label, str):
            values = [number_of(v) for v in label]
            classes.append(values.index(max(values)) if values else 0)  # one-hot: its class
        else:
            classes.append(number_of(label) if not isinstance(label, str) else label)
    return classes


def _sort_key(label: Any) -> tuple[int, Any]:
    return (0, label) if isinstance(label, int | float) else (1, str(label))


def _forward_grid(layers: Sequence[Any], points: Any) -> Any:
    """Every layer applied to many points at once with numpy (same arithmetic as the neurons)."""
    import numpy as np

    h = points
    for layer in layers:
        weights = np.array([weights_of(n) for n in layer.neurons])
        biases = np.array([bias_of(n) for n in layer.neurons])
        h = activation_on_arrays(layer)(h @ weights.T + biases)
    return h
