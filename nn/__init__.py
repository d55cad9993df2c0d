"""chainrule's neural-network library: neurons, layers, losses and training on autograd Values."""

from autograd._version import __version__

__all__ = ["__version__"]
