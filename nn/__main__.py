"""Run the ``chainrule`` command as ``python -m nn``."""

from nn.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
