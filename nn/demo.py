"""The ``chainrule demo``: train the four-pixel camera network and write its pictures to a folder.

The lecture's network reads a 2×2 black-and-white image through two tanh layers and a ReLU
layer into four outputs (solid, vertical, diagonal, horizontal). The demo trains it from random
weights, prints how well each class is recognised, and writes four files: ``graph.svg`` (the
computation graph of one image's loss, every edge labelled with its local derivative),
``network.svg`` (the trained network with white and black links and receptive fields),
``loss.svg`` (the training curves) and ``index.html``, which shows them together.

>>> model = build_model(seed=0)
>>> [layer.activation for layer in model.layers]
['tanh', 'tanh', 'relu', 'linear']
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import Value, draw, weighted_sum
from autograd.files import write_atomically
from autograd.numbers import whole_number
from autograd.ops import subscript
from autograd.text import number_text
from nn.data import FOUR_PIXEL_CLASSES, four_pixel_camera
from nn.layers import MLP
from nn.optim import Adam
from nn.train import fit, predict

__all__ = [
    "DEMO_HIDE_BELOW",
    "EPOCHS",
    "EXAMPLE",
    "HIDDEN_ACTIVATIONS",
    "LEARNING_RATE",
    "PIXEL_NAMES",
    "SIZES",
    "build_model",
    "loss_graph",
    "output_folder",
    "per_class_accuracy",
    "run_demo",
]

# The lecture's layers: tanh, tanh, ReLU, then one linear output per class. The ReLU layer is
# twice as wide as the lecture's 8: with 8, a few starts in a hundred leave too many ReLUs
# silent to tell some images apart; with 16, every seed from 0 to 249 reaches 100%.
SIZES = (4, 4, 16, 4)
HIDDEN_ACTIVATIONS = ("tanh", "tanh", "relu")
EPOCHS = 120
LEARNING_RATE = 0.05
# The lecture's worked example: dark pixels on top, white on the bottom, a horizontal line.
EXAMPLE = 7
PIXEL_NAMES = ("top-left", "top-right", "bottom-left", "bottom-right")
NOTEBOOKS = "notebooks/01-value-and-the-chain-rule.ipynb to 05-check-yourself.ipynb"
NEXT = (
    f"Next: {NOTEBOOKS} (in the chainrule repository) retell the lecture as runnable code, "
    "with exercises at the end."
)


#: The demo's network picture leaves out links weaker than this fraction of the largest |w|,
#: so the strong paths through the 16-neuron layer can be followed at a glance.
DEMO_HIDE_BELOW = 0.3


def build_model(seed: int = 0) -> MLP:
    """The demo's network with random starting weights drawn from ``seed``.

    >>> model = build_model(seed=0)
    >>> [layer.activation for layer in model.layers], model.sizes
    (['tanh', 'tanh', 'relu', 'linear'], [4, 4, 16, 4])
    """
    return MLP(4, list(SIZES), activation=list(HIDDEN_ACTIVATIONS), seed=seed)


def loss_graph(model: MLP, image: Sequence[float], label: int) -> Value:
    """The loss of one image traced back through the weights of its class's output neuron.

    The loss is the softmax cross-entropy that training uses, written out as
    ``log(exp(s₁) + … + exp(s₄)) - s_label`` over the four output scores. Only the output
    neuron of the right class is traced: its weights ``w₁ …`` and bias ``b`` (copies of the
    model's, with short labels) and its weighted sum; its inputs (the layer below's values on
    ``image``) and the other classes' scores are plain numbers, so the graph stays small
    enough to read. ``backward()`` has been run on the returned loss: its value and the
    weights' gradients are those of the full network's loss on ``image``.

    >>> model = build_model(seed=0)
    >>> images, labels = four_pixel_camera()
    >>> loss = loss_graph(model, images[EXAMPLE], labels[EXAMPLE])
    >>> from nn.losses import softmax_cross_entropy
    >>> full = softmax_cross_entropy([model(images[EXAMPLE])], [labels[EXAMPLE]])
    >>> abs(loss.data - full.data) < 1e-9, loss.label
    (True, 'loss')
    """
    from nn.pictures import neuron_values

    values = neuron_values(model, image)
    below, scores = values[-2], values[-1]
    neuron = model.layers[-1].neurons[label]
    weights = [Value(w.data, label="w" + subscript(i)) for i, w in enumerate(neuron.w, start=1)]
    bias = None if neuron.b is None else Value(neuron.b.data, label="b")
    names = _class_names(len(scores))
    outputs: list[Value] = []
    for index, score in enumerate(scores):
        if index == label:
            traced = weighted_sum(weights, below, bias)
            traced.label = names[index]
            outputs.append(traced)
        else:
            outputs.append(Value(score, label=names[index]))
    total = autograd.sum([output.exp() for output in outputs])
    total.label = "Σ exp"
    loss = total.log() - outputs[label]
    loss.label = "loss"
    loss.backward()
    return loss


def _class_names(count: int) -> tuple[str, ...]:
    if count == len(FOUR_PIXEL_CLASSES):
        return FOUR_PIXEL_CLASSES
    return tuple(f"output {i}" for i in range(1, count + 1))


def per_class_accuracy(
    model: MLP, images: Sequence[Sequence[float]], labels: Sequence[int]
) -> dict[str, tuple[int, int]]:
    """For each class of the four-pixel camera: (images recognised, images of that class).

    >>> images, labels = four_pixel_camera()
    >>> per_class_accuracy(build_model(seed=0), images, labels)["solid"][1]
    2
    """
    predictions = predict(model, images)
    result = {name: (0, 0) for name in FOUR_PIXEL_CLASSES}
    for predicted, label in zip(predictions, labels, strict=True):
        name = FOUR_PIXEL_CLASSES[label]
        right, total = result[name]
        result[name] = (right + (predicted == label), total + 1)
    return result


def output_folder(out_dir: object) -> Path:
    """``out_dir`` as a folder that exists and can be written to (created if missing).

    A path that cannot be a folder is refused with ``TypeError``/``ValueError`` before
    anything is created; one that cannot be made or written to raises ``OSError``.

    >>> output_folder("")
    Traceback (most recent call last):
    ...
    ValueError: out_dir is empty; give a folder name such as 'chainrule-demo'.
    """
    if isinstance(out_dir, bytes) or not isinstance(out_dir, str | os.PathLike):
        raise TypeError(
            f"out_dir must be a folder path (a str or pathlib.Path), not "
            f"{type(out_dir).__name__} ({out_dir!r:.60})."
        )
    folder = Path(out_dir)
    if str(out_dir) == "":
        raise ValueError("out_dir is empty; give a folder name such as 'chainrule-demo'.")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            f"{str(folder)!r} is a file, not a folder; the demo writes several files into a "
            "folder. Give another name (a missing folder is created)."
        )
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(
                f"cannot make the folder {str(folder)!r}: {str(parent)!r} is a file, not a folder."
            )
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"the folder {str(folder)!r} cannot be written to; choose another.")
    return folder


def run_demo(
    out_dir: str | os.PathLike[str] = "chainrule-demo", seed: int = 0, progress: bool = True
) -> dict[str, Any]:
    """Train the four-pixel network from random weights and write its pictures to ``out_dir``.

    Prints the per-class accuracy, the files written and where the notebooks are. ``progress``
    shows a progress bar while training. Returns a dict with the paths written (``"graph"``,
    ``"network"``, ``"loss"``, ``"index"``), the pictures (``"figures"``: the two
    :class:`autograd.Drawing` and the matplotlib Figure), the trained ``"model"``, its
    ``"history"`` and ``"accuracy"`` per class as (right, total). Everything is drawn before
    anything is written, so a failure leaves no half-written set of files.

    >>> run_demo(3)
    Traceback (most recent call last):
    ...
    TypeError: out_dir must be a folder path (a str or pathlib.Path), not int (3).
    """
    from nn.pictures import draw_network

    seed = whole_number(seed, "seed")
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, not {progress!r:.40}.")
    folder = output_folder(out_dir)
    images, labels = four_pixel_camera()
    model = build_model(seed)
    example, example_label = images[EXAMPLE], labels[EXAMPLE]
    # The graph is drawn before training, while the gradients are still large enough to see.
    graph = draw(loss_graph(model, example, example_label))

    hidden = model.layers[:-1]
    layers = ", ".join(f"{layer.nout} {layer.activation}" for layer in hidden)
    print(
        f"Training a network with 4 inputs, layers of {layers} neurons and {SIZES[-1]} linear "
        f"outputs, from random weights (seed {seed}), on the {len(images)} images of the "
        "four-pixel camera."
    )
    history = fit(
        model,
        images,
        labels,
        loss="softmax_cross_entropy",
        optimizer=Adam(model.parameters(), lr=LEARNING_RATE),
        epochs=EPOCHS,
        progress=progress,
    )
    accuracy = per_class_accuracy(model, images, labels)
    table = _accuracy_lines(accuracy, history.loss[-1])
    print("\n".join(table))

    # Short: Graphviz centres the title line, and a long one is cut off at the left edge.
    title = f"After training (seed {seed}), on the image dark on top"
    network = draw_network(
        model,
        input=example,
        receptive_fields=True,
        shape=(2, 2),
        input_names=PIXEL_NAMES,
        output_names=FOUR_PIXEL_CLASSES,
        title=title,
        hide_below=DEMO_HIDE_BELOW,
    )
    figure = history.plot()
    figure.axes[0].set_title(f"training the four-pixel network (seed {seed})")
    pictures = {
        "graph.svg": graph.svg(),
        "network.svg": network.svg(),
        "loss.svg": _figure_svg(figure),
    }
    pictures["index.html"] = _index_html(seed, table, history)
    paths = {name.split(".")[0]: _write(folder / name, text) for name, text in pictures.items()}
    print("Wrote:")
    width = max(len(str(path)) for path in paths.values())
    for key, what in _DESCRIPTIONS.items():
        print(f"  {paths[key]!s:<{width}}  {what}")
    print(f"Open {paths['index']} in a web browser to see them together.")
    print(NEXT)
    return {
        **paths,
        "figures": {"graph": graph, "network": network, "loss": figure},
        "model": model,
        "history": history,
        "accuracy": accuracy,
    }


_DESCRIPTIONS = {
    "graph": "one image's loss as a graph, each edge labelled with its local derivative",
    "network": "the trained network: white/black links and each neuron's receptive field",
    "loss": "the loss and accuracy per epoch",
    "index": "a page that shows all three",
}


def _write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`autograd.files.write_atomically`)."""
    write_atomically(path, text)
    return path


def _figure_svg(figure: Any) -> str:
    """A matplotlib figure as SVG text, by matplotlib's SVG backend (no display needed).

    Text stays text (smaller than glyph outlines) and element ids come from a fixed salt, so
    the same figure always gives the same file.
    """
    import io

    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "chainrule"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _accuracy_lines(accuracy: dict[str, tuple[int, int]], final_loss: float) -> list[str]:
    lines = ["Accuracy per class:"]
    width = max(map(len, accuracy))
    for name, (right, total) in accuracy.items():
        percent = 100.0 * right / total if total else 0.0
        lines.append(f"  {name:<{width}}  {right}/{total}  {percent:5.1f}%")
    right = sum(r for r, _ in accuracy.values())
    total = sum(t for _, t in accuracy.values())
    lines.append(
        f"  {'all':<{width}}  {right}/{total}  {100.0 * right / total:5.1f}%"
        f"   (final loss {number_text(final_loss)})"
    )
    return lines


def _index_html(seed: int, table: list[str], history: Any) -> str:
    escape = html.escape
    sections = [
        (
            "loss.svg",
            "Training",
            f"The loss (softmax cross-entropy) and accuracy over {history.epochs} epochs of "
            "Adam, each epoch one step on all 8 images.",
        ),
        (
            "network.svg",
            "The trained network",
            "White links are positive weights, black links negative, thicker for larger. Each "
            "neuron is drawn as its receptive field: the input that makes it as large as it "
            "can be (striped pixels do not matter). Shades show each neuron's value on the "
            "image dark on top, white below.",
        ),
        (
            "graph.svg",
            "One image's loss as a computation graph",
            "Before training: the loss for the image dark on top, white below (a horizontal "
            "line), log(exp(solid) + exp(vertical) + exp(diagonal) + exp(horizontal)) - "
            "horizontal, traced back through the weights of the 'horizontal' output neuron. "
            "Each edge carries its local derivative; each box shows a value and its gradient, "
            "the product of the local derivatives along the way back from the loss (the chain "
            "rule). The neuron's inputs are constants, shown as numbers in its box; the other "
            "outputs' scores are leaves of their own; weights whose input is 0 get no "
            "gradient.",
        ),
    ]
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(f'chainrule demo (seed {seed})')}</title>",
        # Pictures at their own size (text stays readable), scrolling inside a frame when
        # wider or taller than the window, never shrunk to fit.
        "<style>body { font-family: sans-serif; max-width: 70em; margin: 2em auto; "
        "padding: 0 1em; } .picture { overflow: auto; max-height: 85vh; "
        "border: 1px solid #ccc; } .picture img { display: block; max-width: none; } "
        "pre { background: #f4f4f4; padding: 0.5em; }</style>",
        "</head>",
        "<body>",
        "<h1>The four-pixel camera, trained with chainrule</h1>",
        f"<p>{escape(_SUMMARY.format(seed=seed))}</p>",
        f"<pre>{escape(chr(10).join(table))}</pre>",
    ]
    for name, heading, text in sections:
        body += [
            f"<h2>{escape(heading)}</h2>",
            f"<p>{escape(text)}</p>",
            f'<div class="picture"><a href="{escape(name)}"><img src="{escape(name)}" '
            f'alt="{escape(heading)}"></a></div>',
        ]
    body += [
        f"<p>{escape(NEXT)}</p>",
        "</body>",
        "</html>",
    ]
    return "\n".join(body) + "\n"


_SUMMARY = (
    "A network of tanh, tanh and ReLU layers with four outputs (solid, vertical, diagonal, "
    "horizontal) trained from random weights (seed {seed}) on the 8 black-and-white images "
    'of a 2x2 camera, as in the lecture "How Deep Neural Networks Work".'
)
