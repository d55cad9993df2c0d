"""Benchmarks of chainrule against micrograd and PyTorch; run them with benchmarks/run.py."""

__all__: list[str] = []
