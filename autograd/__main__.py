"""Run the ``chainrule`` command as ``python -m autograd``."""

from autograd.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
