"""Sequential: modules applied one after another, each one's outputs the next one's inputs.

>>> from nn import Linear, ReLU
>>> model = Sequential(Linear(2, 4, seed=0), ReLU(), Linear(4, 1, seed=1))
>>> [name for name, _ in model.named_children()]
['L1', 'ReLU1', 'L2']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from autograd import Value
from nn.describe import architecture, build, expect_keys, parameter_count, savable
from nn.module import Module
from nn.shapes import Outputs

__all__ = ["Sequential"]


@savable
class Sequential(Module):
    """Modules applied one after another, each one's outputs the next one's inputs.

    Children with parameters are named ``L1``, ``L2`` ... in order, and their parameters
    relabelled to match (``L2.N1.w3``); others are named by their class (``Tanh1``). Called
    on an input, a Sequential returns a list of Values, or the one Value when the last module
    gives a single output.

    >>> from nn import Dropout, Layer
    >>> model = Sequential(Layer(2, 2, seed=0), Dropout(0.5), Layer(2, 1, seed=1))
    >>> len(model), [name for name, _ in model.named_children()]
    (3, ['L1', 'Dropout1', 'L2'])
    >>> model.nin
    2
    """

    def __init__(self, *modules: Module) -> None:
        if len(modules) == 1 and isinstance(modules[0], list | tuple):
            modules = tuple(modules[0])
        if not modules:
            raise ValueError("Sequential needs at least one module.")
        for position, module in enumerate(modules, start=1):
            if not isinstance(module, Module):
                raise TypeError(
                    f"Sequential takes modules (Linear, Tanh, Layer, Dropout, ...); item "
                    f"{position} is a {type(module).__name__}."
                )
        self.modules: list[Module] = list(modules)
        self.label_parameters()

    @property
    def nin(self) -> int | None:  # type: ignore[override]
        """The number of inputs of the first module (``None`` if it accepts any number)."""
        return self.modules[0].nin

    def children(self) -> list[Module]:
        return list(self.modules)

    def named_children(self) -> list[tuple[str, Module]]:
        names = []
        counts: dict[str, int] = {}
        for module in self.modules:
            # Modules that can hold parameters are layers L1, L2 ...; others (Dropout) are
            # named by their class: Dropout1 ...
            holds = module.own_parameters() or module.named_children()
            kind = "L" if holds else type(module).__name__
            counts[kind] = counts.get(kind, 0) + 1
            names.append((f"{kind}{counts[kind]}", module))
        return names

    def forward(self, x: Sequence[Value | float]) -> Outputs:
        for module in self.modules:
            x = module.outputs(x)
        return x[0] if len(x) == 1 else x

    def config(self) -> dict[str, Any]:
        return {"modules": [architecture(module) for module in self.modules]}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Sequential:
        modules = expect_keys("Sequential", config, {"modules"})["modules"]
        if not isinstance(modules, list):
            raise TypeError("Sequential modules must be a list")
        return cls(*[build(module) for module in modules])

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        return sum(parameter_count(module) for module in config["modules"])

    def torch_modules(self, torch: Any) -> list[Any]:
        return [t for module in self.modules for t in module.torch_modules(torch)]

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)
