"""The ``explain`` command: forward values, each chain-rule step and the gradients of an expression.

The ``chainrule`` command itself (``nn/cli.py``, on top of the stack) registers this command
with :func:`add_explain_parser` and runs it with :func:`run_explain`; this module knows nothing
of the layers above the engine.

Exit status: 0 when all went well; 1 when the maths is undefined (``log(0)``, an overflow) or
a file cannot be written; 2 for bad usage: an expression outside the whitelist, a variable
without a value, a malformed ``NAME=VALUE``, a graph too big for ``--draw`` (see
``--max-nodes``). Errors go to standard error as one ``chainrule: error:`` line, never as a
traceback.

The expression's result is named as in drawings (``mul₁`` below); "L" is the quantity being
differentiated, that result ("out" instead if a variable is called L).

>>> import argparse
>>> commands = argparse.ArgumentParser(prog="chainrule").add_subparsers(dest="command")
>>> add_explain_parser(commands)
>>> run_explain(commands.choices["explain"].parse_args(["a*b", "a=2", "b=-3", "--ascii"]))
Expression: a*b
<BLANKLINE>
Forward pass:
  a = 2
  b = -3
  L = mul1 = a * b = 2 * (-3) = -6
<BLANKLINE>
Backward pass (chain rule, 2 steps):
  1. dL/da += dmul1/da * dL/dmul1 = b * dL/dmul1 = (-3)(1) = -3
  2. dL/db += dmul1/db * dL/dmul1 = a * dL/dmul1 = (2)(1) = 2
<BLANKLINE>
Gradients:
  dL/da = -3
  dL/db = 2
0
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from autograd.expr import FUNCTIONS, ExpressionError, expression_names, parse_expression
from autograd.mistakes import QUANTITIES
from autograd.ops import DomainError
from autograd.stepper import HTML_SUFFIXES, Stepper
from autograd.text import number_text, to_ascii
from autograd.value import Value, topological_order

__all__ = ["EPILOG", "add_explain_parser", "report_error", "run_explain", "silence_stdout"]

_SYMBOLS = "∂·²σ₁Σ…"
EPILOG = (
    "exit status: 0 done; 1 the maths is undefined (e.g. log(0)) or a file could not be "
    "written; 2 bad usage, an expression that is not allowed or a graph too big to draw"
)
_MAX_NODES = 500  # the default of --max-nodes, as of autograd.draw


class _Usage(Exception):
    """A usage problem found after argparse: reported in one line, exit status 2."""


class _Failure(Exception):
    """Something that could not be done (a file not written): one line, exit status 1."""


def add_explain_parser(commands: argparse._SubParsersAction) -> None:
    """Add the ``explain`` command and its options to ``commands`` (argparse subparsers)."""
    explain = commands.add_parser(
        "explain",
        help="print the forward pass, every chain-rule step and the gradients of an expression",
        description=(
            "Print the forward values of EXPR, every step of backpropagation as arithmetic you "
            "can check by hand, and the gradient of each variable. EXPR may use numbers, "
            "variable names, + - * / **, parentheses and the functions "
            f"{', '.join(FUNCTIONS)}. Quote it; start it with a space if it begins with '-'."
        ),
        epilog=EPILOG,
    )
    explain.add_argument("expression", metavar="EXPR", help='e.g. "tanh(w*x + b)"')
    explain.add_argument(
        "assignments", metavar="NAME=VALUE", nargs="*", help="a value for each variable"
    )
    explain.add_argument(
        "--step", action="store_true", help="wait for Enter between steps (q quits)"
    )
    explain.add_argument(
        "--draw",
        "--svg",  # its first name, kept so existing commands work
        dest="svg",
        metavar="FILE",
        help="draw the final graph into FILE: .svg, .png or .dot, as its name ends",
    )
    explain.add_argument(
        "--html",
        metavar="FILE",
        help=(
            "write FILE.html: one self-contained page that steps through the backward pass "
            "in a browser (no kernel, no network)"
        ),
    )
    explain.add_argument(
        "--predict",
        choices=QUANTITIES,
        help=(
            "with --html, the page asks for each step's number (what it adds to a gradient, "
            "or its local derivative) before showing it, and keeps a score"
        ),
    )
    explain.add_argument(
        "--max-nodes",
        metavar="N",
        type=_positive_int,
        default=_MAX_NODES,
        help=(
            f"with --draw or --html, draw graphs of up to N values (default {_MAX_NODES}); "
            "big graphs can take minutes to lay out"
        ),
    )
    explain.add_argument("--ascii", action="store_true", help="write d/dx instead of ∂/∂x")
    explain.add_argument(
        "--nudge",
        action="store_true",
        help=(
            "add to each step (and, with --draw, each edge) the finite-difference estimate of "
            "its local derivative"
        ),
    )


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"it must be at least 1, not {number}")
    return number


def run_explain(args: argparse.Namespace) -> int:
    """Run the ``explain`` command parsed into ``args``; return its exit status (see above)."""
    try:
        return _explain(args)
    except _Usage as problem:
        return report_error(str(problem), 2)
    except ExpressionError as problem:
        return report_error(f"explain: {problem}", 2)
    except DomainError as problem:
        return report_error(f"explain: {problem}", 1)
    except _Failure as problem:
        return report_error(str(problem), 1)


def silence_stdout() -> None:
    """Point standard output at the null device (the reader went away: nothing more to show)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(devnull)


def report_error(message: str, status: int) -> int:
    """Print ``message`` as one ``chainrule: error:`` line on standard error; return ``status``."""
    text = f"chainrule: error: {' '.join(message.split())}"
    if not _can_show(sys.stderr, text):
        text = to_ascii(text)
    print(text, file=sys.stderr)
    return status


def _variables(assignments: Sequence[str]) -> dict[str, float]:
    """``NAME=VALUE`` arguments as a dict; a malformed one is a usage error naming it."""
    variables: dict[str, float] = {}
    for assignment in assignments:
        name, equals, text = assignment.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier():
            raise _Usage(
                f"explain: {assignment!r} is not NAME=VALUE; give each variable a value, "
                "as in x=0.5"
            )
        if name in variables:
            raise _Usage(f"explain: {name!r} is given twice")
        try:
            number = float(text)
        except ValueError:
            raise _Usage(
                f"explain: the value in {assignment!r} is not a number; write it as {name}=0.5"
            ) from None
        if not math.isfinite(number):
            raise _Usage(f"explain: the value in {assignment!r} must be finite")
        variables[name] = number
    return variables


def _can_show(stream: TextIO, text: str) -> bool:
    """Whether ``stream``'s encoding can write ``text``."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _explain(args: argparse.Namespace) -> int:
    variables = _variables(args.assignments)
    if args.svg:
        _check_svg_path(args.svg)
    if args.html:
        _check_html_path(args.html)
    elif args.predict:
        raise _Usage(
            f"explain: --predict {args.predict} needs --html FILE: the page is where each step "
            "is predicted"
        )
    leaves = {name: Value(number, label=name) for name, number in variables.items()}
    root = parse_expression(args.expression, leaves)
    used = expression_names(args.expression)
    unused = [name for name in variables if name not in used]
    if unused:
        raise _Usage(
            f"explain: {', '.join(map(repr, unused))} not in the expression "
            f"{args.expression!r}; its variables are {', '.join(used) or '(none)'}"
        )
    # Refuse a graph too big to draw now, not after printing every step.
    for option, path in (("--draw", args.svg), ("--html", args.html)):
        if path:
            _check_size(len(topological_order(root)), option, path, args.max_nodes)
    ascii = args.ascii or not _can_show(sys.stdout, _SYMBOLS + args.expression)

    def say(text: str = "") -> None:
        print(to_ascii(text) if ascii else text, flush=True)

    forward = Stepper(root, mode="forward")
    backward = Stepper(root)
    names, loss = backward.names, backward.loss
    say(f"Expression: {args.expression.strip()}")
    say()
    say("Forward pass:")
    for name in used:
        say(f"  {name} = {number_text(leaves[name].data)}")
    for step in forward.steps:
        say(f"  {step.explain(names, loss=loss)}")
    if not forward.steps and not used:  # only numbers: computed at once into one constant
        say(f"  {loss} = {number_text(root.data)}")
    say()
    count = len(backward)
    say(f"Backward pass (chain rule, {count} step{'' if count == 1 else 's'}):")
    width = len(str(count))
    waiting = args.step
    for number in range(1, count + 1):
        line = backward.next().explain(names, loss=loss, nudge=args.nudge)
        say(f"  {number:>{width}}. {line}")
        if waiting and number < count:
            answer = _wait()
            if answer == "quit":
                say("Stopped.")
                return 0
            # At the end of the input there is no one to wait for: print the rest.
            waiting = answer != "end"
    say()
    say("Gradients:")
    for name in used:
        say(f"  ∂{loss}/∂{name} = {number_text(leaves[name].grad)}")
    if not used:
        say("  (no variables: nothing to differentiate)")
    if args.svg:
        _write_svg(root, args.svg, args.max_nodes, nudge=args.nudge)
        say(f"Wrote {args.svg}")
    if args.html:
        _write_html(backward, args.expression.strip(), args.html, args.max_nodes, args.predict)
        say(f"Wrote {args.html}")
    return 0


def _wait() -> str:
    """Wait for Enter on standard input: "next", "quit" (q typed) or "end" (no more input)."""
    print("     [Enter: next step, q: quit] ", end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        print()
        return "end"
    return "quit" if line.strip().lower() in ("q", "quit") else "next"


def _check_svg_path(path: str) -> None:
    """Refuse a file type ``--draw`` cannot write before any work is done (exit status 2)."""
    from autograd.drawing import SAVE_SUFFIXES

    if Path(path).suffix.lower() not in SAVE_SUFFIXES:
        raise _Usage(
            f"explain: --draw {path!r}: the file name must end in {', '.join(SAVE_SUFFIXES)}"
        )


def _check_html_path(path: str) -> None:
    """Refuse a file name ``--html`` does not write before any work is done (exit status 2)."""
    if Path(path).suffix.lower() not in HTML_SUFFIXES:
        raise _Usage(f"explain: --html {path!r}: the file name must end in .html (or .htm)")


def _check_size(count: int, option: str, path: str, max_nodes: int) -> None:
    """Refuse to draw a graph of more than ``max_nodes`` values (exit status 2)."""
    if count > max_nodes:
        raise _Usage(
            f"explain: {option} {path!r}: the graph has {count} values, more than --max-nodes "
            f"{max_nodes}; laying out a graph that big can take minutes. Pass --max-nodes "
            f"{count} (or more) to draw it anyway, or leave out {option}"
        )


def _write_html(
    stepper: Stepper, expression: str, path: str, max_nodes: int, predict: str | None = None
) -> None:
    """Write the page that steps through ``stepper`` from its start (exit status 1 if not)."""
    from autograd.render import RenderError

    stepper.reset()
    try:
        stepper.save_html(
            path, title=f"chainrule explain {expression}", max_nodes=max_nodes, predict=predict
        )
    except (OSError, RenderError) as problem:
        raise _Failure(f"explain: cannot write {path!r}: {problem}") from None


def _write_svg(root: Value, path: str, max_nodes: int = _MAX_NODES, *, nudge: bool = False) -> None:
    from autograd.drawing import draw
    from autograd.render import RenderError

    try:
        drawing = draw(root, max_nodes=max_nodes, nudge=nudge)
    except ValueError as problem:  # a graph too big for max_nodes, should one get this far
        raise _Usage(f"explain: --draw {path!r}: {problem}") from None
    try:
        drawing.save(path)
    except (OSError, RenderError) as problem:
        raise _Failure(f"explain: cannot write {path!r}: {problem}") from None
