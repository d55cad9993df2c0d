"""The ``chainrule`` command: every subcommand registered in one place, on top of the stack.

``explain`` comes from the engine (:mod:`autograd.cli`), ``demo`` from :mod:`nn.demo`. Exit
status: 0 when all went well, 1 when something could not be done, 2 for bad usage, 130 on
Ctrl-C and 141 when the reader of the output goes away (``| head``). Errors go to standard
error as one ``chainrule: error:`` line, never as a traceback.

>>> main(["explain", "x*x", "x=3", "--ascii"])
Expression: x*x
...
Gradients:
  dL/dx = 6
0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from autograd._version import __version__
from autograd.cli import EPILOG, add_explain_parser, report_error, run_explain, silence_stdout

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="See backpropagation: every chain-rule step of an expression, explained.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_explain_parser(commands)
    demo = commands.add_parser(
        "demo",
        help="train the four-pixel camera network and write its pictures",
        description="Train a small network on the four-pixel camera and write pictures of it.",
        epilog=EPILOG,
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        default="chainrule-demo",
        help="folder for the output (default: ./chainrule-demo)",
    )
    demo.add_argument("--seed", metavar="N", type=int, default=0, help="random seed (default 0)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chainrule`` command with ``argv`` (default: the command line); return its exit
    status.

    >>> main(["--version"])
    chainrule ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse has printed the help, version or usage error
        return exit.code if isinstance(exit.code, int) else 0
    try:
        if args.command == "explain":
            return run_explain(args)
        if args.command == "demo":
            return _demo(args)
        parser.print_help()
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (say `chainrule explain ... | head`): stop quietly, and keep
        # Python from complaining again when it flushes standard output at exit.
        silence_stdout()
        return 141


def _demo(args: argparse.Namespace) -> int:
    from nn.demo import output_folder, run_demo

    try:
        folder = output_folder(args.out)  # refused as run_demo would refuse it
    except (TypeError, ValueError) as problem:
        return report_error(f"demo: --out {args.out!r}: {problem}", 2)
    except OSError as problem:
        return report_error(f"demo: cannot write to {args.out!r}: {problem}", 1)
    try:
        run_demo(folder, args.seed, progress=True)
    except OSError as problem:
        return report_error(f"demo: cannot write to {args.out!r}: {problem}", 1)
    print(f"The demo's files are in {args.out}")
    return 0
