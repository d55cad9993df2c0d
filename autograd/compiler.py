"""``autograd.compile``: trace a function of Values once, then run its forward and backward
pass as generated straight-line Python that anyone can read.

The name shadows Python's built-in ``compile`` only as ``autograd.compile``; ``from autograd
import *`` leaves the builtin alone (it is not in ``autograd.__all__``).

>>> import autograd
>>> def neuron(x1, x2, w1, w2, b):
...     return (x1 * w1 + x2 * w2 + b).tanh()
>>> cf = autograd.compile(neuron, 2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
>>> round(cf(2.0, 0.0, -3.0, 1.0, 6.8813735870195432), 6)
0.707107
>>> value, grads = cf.value_and_grad(2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
>>> [round(g, 6) for g in grads]
[-1.5, 0.5, 1.0, 0.0, 0.5]
"""

from __future__ import annotations

import builtins
import functools
import inspect
import itertools
import linecache
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from autograd.collector import relaxed_gc
from autograd.compiled_source import LineInfo, Source, write_source
from autograd.numbers import real_number
from autograd.ops import FLOAT_FUNCTIONS, DomainError
from autograd.tracing import Trace, TraceError, trace
from autograd.value import Value

__all__ = [
    "MAX_VERSIONS",
    "CompiledFunction",
    "Program",
    "TraceError",
    "array_namespace",
    "compile",
    "domain_error",
    "program",
    "run_checked",
]

#: How many branches (sets of guards) one compiled function keeps before it refuses to trace
#: another: a function whose path changes with nearly every input is not worth compiling.
MAX_VERSIONS = 64
_counter = itertools.count(1)
_BUILTINS = {"abs", "float", "max", "min"}


class _NotFiniteHere(ArithmeticError):
    """Raised by compiled code at a value that is not finite although the output may not
    show it (an inf a ReLU turns into 0); :func:`first_not_finite` then finds where it was
    made."""


def _float_namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {f"_float_{k}": f for k, f in FLOAT_FUNCTIONS.items()}
    namespace["_NotFiniteHere"] = _NotFiniteHere
    namespace.update((f"_builtin_{name}", getattr(builtins, name)) for name in _BUILTINS)
    return namespace


def array_namespace() -> dict[str, Any]:
    """The names code written with ``on_arrays=True`` calls: numpy's elementwise versions of
    :data:`autograd.ops.FLOAT_FUNCTIONS` (numpy is imported here, only when needed).

    >>> sorted(array_namespace())[:3]
    ['_affine', '_any', '_builtin_abs']
    """
    import numpy as np

    def sigmoid(a: Any) -> Any:
        return np.exp(-np.logaddexp(0.0, -a))

    def softplus(a: Any) -> Any:
        return np.logaddexp(0.0, a)

    functions = {
        "exp": np.exp,
        "log": np.log,
        "sqrt": np.sqrt,
        "tanh": np.tanh,
        "sin": np.sin,
        "cos": np.cos,
        "sigmoid": sigmoid,
        "softplus": softplus,
    }
    missing = set(FLOAT_FUNCTIONS) - set(functions)
    if missing:  # a new row's function needs its numpy version here
        raise NotImplementedError(f"no array version of {', '.join(sorted(missing))}")
    namespace: dict[str, Any] = {f"_float_{k}": f for k, f in functions.items()}
    namespace.update(
        _builtin_abs=np.abs,
        _builtin_float=lambda a: np.asarray(a, dtype=float),
        _builtin_max=np.maximum,
        _builtin_min=np.minimum,
        _where=np.where,
        _truth=lambda c: np.asarray(c, dtype=float),
        _any=np.any,
        _size=lambda *columns: max((np.size(c) for c in columns), default=1),
        _total=lambda g, n: float(np.sum(g)) if np.ndim(g) else float(g) * n,
        _rows=functools.partial(_rows, np),
        _affine=functools.partial(_affine, np),
        _plain_sum=builtins.sum,
        _matrix=lambda rows: np.array(rows, dtype=float),
        _column=lambda values: np.array(values, dtype=float)[:, None],
    )
    return namespace


def _affine(np: Any, weights: Any, inputs: Any, biases: Sequence[float] | None = None) -> Any:
    """``weights @ inputs + biases`` (one row per neuron, one column per sample), added up
    input by input as :func:`autograd.weighted_sum` adds: a matrix product adds in another
    order, so a sum could differ in its last bit and a ReLU at its kink take the other side."""
    total = weights[:, 0:1] * inputs[0]
    for j in range(1, weights.shape[1]):
        total += weights[:, j : j + 1] * inputs[j]
    if biases is not None:
        total += np.asarray(biases, dtype=float)[:, None]
    return total


def _rows(np: Any, items: Sequence[Any], n: int) -> Any:
    """``items`` (arrays of ``n`` samples, or numbers the same for every sample) as the rows
    of one ``len(items)`` by ``n`` array."""
    try:
        stacked = np.stack(items)
        if stacked.shape == (len(items), n):
            return stacked
    except ValueError:  # arrays and plain numbers mixed
        pass
    return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in items])


def _check(value: Any, line: int) -> None:
    if value.__class__ is not float or value - value != 0.0:
        raise _NotFinite(line, value)


class _NotFinite(Exception):
    def __init__(self, line: int, value: Any) -> None:
        super().__init__(line, value)
        self.line, self.value = line, value


class Program:
    """One traced path of a function, compiled: ``run(*arguments)`` returns ``(outputs,
    gradients)``, or ``None`` when one of its guards fails.

    ``source`` is the generated text (a :class:`autograd.compiled_source.Source`);
    ``filename`` is where tracebacks and :mod:`inspect` find it (registered with
    :mod:`linecache`).
    """

    def __init__(self, source: Source, title: str, namespace: dict[str, Any]) -> None:
        self.source = source
        self.title = title
        self.filename = f"<autograd.compile: {title} #{next(_counter)}>"
        namespace = {**namespace, **source.names}
        self.function = self._define(source.text, self.filename, namespace)
        self.run = (
            functools.partial(self.function, _live=tuple(source.live))
            if source.live
            else self.function
        )
        linecache.cache[self.filename] = (
            len(source.text),
            None,
            source.text.splitlines(True),
            self.filename,
        )
        weakref.finalize(self, linecache.cache.pop, self.filename, None)
        self._checked: Callable[..., Any] | None = None
        self._namespace = namespace

    @staticmethod
    def _define(text: str, filename: str, namespace: dict[str, Any]) -> Callable[..., Any]:
        scope = dict(namespace)
        exec(builtins.compile(text, filename, "exec"), scope)  # our own trace's code only
        return scope["value_and_grad"]

    def checked(self) -> Callable[..., Any]:
        """The same function with a finiteness check after every line (for error messages)."""
        if self._checked is None:
            lines = self.source.text.splitlines()
            out = []
            for number, line in enumerate(lines, start=1):
                out.append(line)
                info = self.source.lines.get(number)
                words = line.split()
                assigns = len(words) > 2 and words[1] in ("=", "+=")
                if info is not None and info.op != "guard" and assigns:
                    pad = line[: len(line) - len(line.lstrip())]
                    out.append(f"{pad}_check({words[0]}, {number})")
            namespace = {**self._namespace, "_check": _check}
            checked = self._define("\n".join(out) + "\n", self.filename, namespace)
            live = tuple(self.source.live)
            self._checked = functools.partial(checked, _live=live) if live else checked
        return self._checked

    def line(self, number: int) -> tuple[str, LineInfo | None]:
        """The text of line ``number`` of the source and what it computes."""
        lines = self.source.text.splitlines()
        text = lines[number - 1].split("  #")[0].strip() if 0 < number <= len(lines) else ""
        return text, self.source.lines.get(number)


def program(
    traced: Trace,
    arguments: Sequence[str],
    title: str,
    *,
    on_arrays: bool = False,
    loop: bool = False,
    batch: bool = False,
    namespace: dict[str, Any] | None = None,
) -> Program:
    """Write and compile the straight-line code for ``traced`` (see
    :func:`autograd.compiled_source.write_source` for ``on_arrays``, ``loop`` and ``batch``).

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> p = program(trace(lambda: x * x, [x]), ["x"], "square")
    >>> p.run(4.0)
    ((16.0,), (8.0,))
    """
    source = write_source(traced, arguments, on_arrays=on_arrays, loop=loop, batch=batch)
    return Program(source, title, _float_namespace() if namespace is None else namespace)


def domain_error(prog: Program, error: BaseException | None, line: int, value: Any = None):
    """A :class:`DomainError` naming the op and the line of the source where ``error`` (or a
    value that is not finite) came up."""
    text, info = prog.line(line)
    op = info.op if info is not None and info.op else "compiled code"
    if isinstance(error, OverflowError):
        problem = "the result is too large for a float (it overflows)"
    elif error is not None:
        problem = f"{error}"
    elif isinstance(value, complex):
        problem = f"the result is complex ({value!r:.40}), not a real number"
    else:
        problem = f"the result is {value!r:.40}, not a finite number"
    hint = f" {info.hint}" if info is not None and info.hint else ""
    return DomainError(
        f"{op}: {problem} at line {line} of the compiled source of {prog.title} "
        f"(cf.source): {text}.{hint}"
    )


def _line_in(traceback: Any, filename: str) -> int:
    line = 0
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def run_checked(prog: Program, arguments: Sequence[Any]) -> Any:
    """Run ``prog``; an arithmetic error or a value that is not finite (or not real: ``x **
    0.5`` of a negative ``x`` is complex in Python) becomes a :class:`DomainError` naming the
    line. Returns None if a guard fails."""
    try:
        result = prog.run(*arguments)
    except (_NotFiniteHere, TypeError):  # a hidden inf or nan; a complex number met an op
        problem = first_not_finite(prog, arguments)  # that takes real numbers only
        if problem is None:
            raise
        raise problem from None
    except (ArithmeticError, ValueError) as error:
        line = _line_in(sys.exc_info()[2], prog.filename)
        raise domain_error(prog, error, line) from None
    if result is None:
        return None
    outputs, grads = result
    total = builtins.sum(outputs) + builtins.sum(grads)
    if total.__class__ is not float or total - total != 0.0:
        problem = first_not_finite(prog, arguments)
        raise problem or domain_error(prog, None, len(prog.source.lines) + 1, total)
    return result


def first_not_finite(prog: Program, arguments: Sequence[Any]) -> DomainError | None:
    """Run ``prog`` checking the number of every line: the :class:`DomainError` naming the
    first line whose number is not a finite float, or None if every line's is (or a guard
    fails first).

    >>> x = Value(3.0, label="x")
    >>> p = program(trace(lambda: (x * 1e300 * x).relu(), [x]), ["x"], "f")
    >>> first_not_finite(p, [2.0]) is None, str(first_not_finite(p, [-1e10]))[:30]
    (True, 'mul: the result is -inf, not a')
    """
    try:  # an error first, at its line of the code as written
        prog.run(*arguments)
    except _NotFiniteHere:  # the checked run below finds where it was made
        pass
    except (ArithmeticError, ValueError) as error:
        return domain_error(prog, error, _line_in(sys.exc_info()[2], prog.filename))
    except TypeError:  # a complex number: the checked run below finds where it was made
        pass
    try:
        prog.checked()(*arguments)
    except _NotFinite as bad:
        return domain_error(prog, None, bad.line, bad.value)
    return None


class CompiledFunction:
    """A function of numbers traced once into straight-line Python: see :func:`compile`.

    >>> import autograd
    >>> cf = autograd.compile(lambda x: x * x + 1, 3.0)
    >>> cf(2.0), cf.value_and_grad(2.0)
    (5.0, (5.0, (4.0,)))
    """

    def __init__(self, fn: Callable[..., Value], names: list[str], title: str) -> None:
        self.fn = fn
        self.names = names
        self.title = title
        self._versions: list[Program] = []
        self._last: Program | None = None
        self._lock = threading.Lock()

    @property
    def source(self) -> str:
        """The generated Python of the path the last call took (the traced one at first)."""
        return self._last.source.text if self._last is not None else ""

    @property
    def sources(self) -> tuple[str, ...]:
        """The generated Python of every path traced so far, in the order they were traced."""
        return tuple(version.source.text for version in self._versions)

    def __repr__(self) -> str:
        return f"<compiled {self.title}({', '.join(self.names)}): {len(self._versions)} path(s)>"

    def _numbers(self, inputs: Sequence[object]) -> list[float]:
        if len(inputs) != len(self.names):
            raise TypeError(
                f"{self.title} was compiled for {len(self.names)} input(s) "
                f"({', '.join(self.names)}), got {len(inputs)}."
            )
        numbers = []
        for name, value in zip(self.names, inputs, strict=True):
            if isinstance(value, Value):
                raise TypeError(
                    f"{self.title}: input {name} is a Value; a compiled function takes plain "
                    f"numbers (pass {name}.item())."
                )
            numbers.append(real_number(value, f"{self.title}: input {name}", allow_bool=False))
        return numbers

    def trace(self, numbers: Sequence[float]) -> Program:
        """Trace ``fn`` at ``numbers`` and compile that path (kept with the others)."""
        leaves = [Value(x, label=name) for x, name in zip(numbers, self.names, strict=True)]
        with relaxed_gc():  # a trace is a big graph and many strings: collect less often
            return self._compiled(leaves, numbers)

    def _compiled(self, leaves: list[Value], numbers: Sequence[float]) -> Program:
        try:
            traced = trace(lambda: self.fn(*leaves), leaves)
        except TraceError:
            raise
        except Exception as error:
            raise TraceError(
                f"{self.title} raised {type(error).__name__} while being traced at "
                f"({', '.join(map(repr, numbers))}): {error}"
            ) from error
        if len(self._versions) >= MAX_VERSIONS:
            raise TraceError(
                f"{self.title} has taken {MAX_VERSIONS} different paths (its comparisons of "
                "Values came out differently each time); compiling it does not pay. Call it "
                "on Values, or compare plain numbers it does not depend on."
            )
        prog = program(traced, self.names, self.title)
        with self._lock:
            self._versions.append(prog)
        return prog

    def value_and_grad(self, *inputs: float) -> tuple[float, tuple[float, ...]]:
        """The output and its gradient with respect to every input, as floats.

        >>> import autograd
        >>> autograd.compile(lambda a, b: a * b, 1.0, 1.0).value_and_grad(2.0, 5.0)
        (10.0, (5.0, 2.0))
        """
        numbers = self._numbers(inputs)
        last = self._last
        if last is not None:
            result = run_checked(last, numbers)
            if result is not None:
                return result[0][0], result[1]
        for version in list(self._versions):
            if version is not last:
                result = run_checked(version, numbers)
                if result is not None:
                    self._last = version
                    return result[0][0], result[1]
        version = self.trace(numbers)
        result = run_checked(version, numbers)
        if result is None:  # cannot happen: a fresh trace holds at its own inputs
            raise RuntimeError(f"{self.title}: a fresh trace failed its own guards")
        self._last = version
        return result[0][0], result[1]

    def __call__(self, *inputs: float) -> float:
        return self.value_and_grad(*inputs)[0]


def compile(fn: Callable[..., Value], *example_inputs: float) -> CompiledFunction:
    """Trace ``fn`` at ``example_inputs`` and compile its forward and backward pass.

    ``fn`` takes Values (one per example input, named by its parameters) and returns a Value.
    The result ``cf`` takes plain numbers: ``cf(*inputs)`` is the output as a float and
    ``cf.value_and_grad(*inputs)`` the output and a tuple with ∂output/∂input for each input,
    equal to what ``backward()`` gives. ``cf.source`` is the generated Python: one line per
    op forward and one per chain-rule step backward. A comparison of Values in ``fn``
    (``if x > 0:``) becomes a guard: a call whose inputs would take another branch traces
    that branch too (up to :data:`MAX_VERSIONS`), so a branch never gives a wrong answer.
    Plain numbers ``fn`` reads (``x.item()``, ``x.data``) are fixed at their traced value, as
    are constants; a Value ``fn`` captures from outside is read at every call.

    Raises :class:`autograd.tracing.TraceError` (a ValueError) if ``fn`` returns something
    other than a Value, raises while being traced or builds more than
    :data:`autograd.tracing.MAX_NODES` values, TypeError for the wrong number of inputs, and
    at run time :class:`DomainError` naming the op and the line of ``cf.source`` where a
    value or gradient stops being a finite number.

    >>> import autograd
    >>> cf = autograd.compile(lambda x: x.relu() * 2, 1.5)
    >>> cf.value_and_grad(-1.0)
    (0.0, (0.0,))
    >>> print(cf.source.splitlines()[2])
        relu1 = x if x > 0.0 else 0.0  # relu₁ = ReLU(x)
    """
    if not callable(fn):
        raise TypeError(f"compile needs a function, not {type(fn).__name__} ({fn!r:.40}).")
    title = getattr(fn, "__name__", None) or type(fn).__name__
    names = _parameter_names(fn, len(example_inputs), title)
    cf = CompiledFunction(fn, names, title)
    cf._last = cf.trace(cf._numbers(example_inputs))
    return cf


def _parameter_names(fn: Callable[..., Any], count: int, title: str) -> list[str]:
    """The names of ``fn``'s inputs; an error if it cannot take ``count`` of them."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return [f"x{i}" for i in range(1, count + 1)]
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in parameters)
    required = [p for p in positional if p.default is p.empty]
    if count < len(required) or (count > len(positional) and not varargs):
        wanted = (
            f"{len(required)}"
            if len(required) == len(positional)
            else (f"{len(required)} to {len(positional)}")
        )
        raise TypeError(
            f"{title} takes {wanted} input(s) ({', '.join(p.name for p in positional)}), but "
            f"{count} example input(s) were given; give one example number per input."
        )
    names = [p.name for p in positional[:count]]
    names += [f"x{i}" for i in range(len(names) + 1, count + 1)]
    return names
