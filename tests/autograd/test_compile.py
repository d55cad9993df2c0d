"""autograd.compile: the generated code agrees with backward(), guards retrace, errors name
the problem and the line."""

import inspect
import linecache
import math
import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import DomainError, Value
from autograd.tracing import TraceError
from tests.autograd.programs import KINKED_OPS, SMOOTH_OPS, ValueMath, programs, run

ALL_OPS = {**SMOOTH_OPS, **KINKED_OPS}


def _backward(program, leaves):
    values = [Value(x) for x in leaves]
    out = run(program, values, ValueMath())[-1]
    out.backward()
    return out.data, [v.grad for v in values]


def _program_function(program):
    m = ValueMath()

    def fn(*xs):
        return run(program, list(xs), m)[-1]

    fn.__signature__ = inspect.Signature(
        [
            inspect.Parameter(f"x{i}", inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for i in range(len(program[0]))
        ]
    )
    return fn


def _close(a, b):
    return a == pytest.approx(b, rel=1e-12, abs=1e-12)


@given(programs(ops=ALL_OPS, max_steps=14), st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_compiled_values_and_gradients_equal_backward_on_random_dags(program, shifted):
    cf = autograd.compile(_program_function(program), *program[0])
    for leaves in (program[0], [x + s / 7 for x, s in zip(program[0], shifted, strict=False)]):
        if len(leaves) < len(program[0]):
            continue
        try:
            expected, grads = _backward(program, leaves)
        except DomainError:
            continue
        value, got = cf.value_and_grad(*leaves)
        assert _close(value, expected)
        assert len(got) == len(grads)
        for g, e in zip(got, grads, strict=True):
            assert _close(g, e), (program, leaves)


def test_source_reads_as_the_chain_rule_with_the_learners_names():
    def neuron(x1, x2, w1, w2, b):
        n = x1 * w1 + x2 * w2 + b
        n.label = "n"
        return n.tanh()

    cf = autograd.compile(neuron, 2.0, 0.0, -3.0, 1.0, 6.88)
    source = cf.source
    assert source.startswith("def value_and_grad(x1, x2, w1, w2, b):")
    assert "    n = x1 * w1 + x2 * w2 + b  # n = x1 · w1 + x2 · w2 + b" in source
    assert "tanh1 = _float_tanh(n)" in source
    assert "grad_n = (1.0 - tanh1 * tanh1) * grad_tanh1  # ∂tanh₁/∂n = 1 - tanh₁²" in source
    assert "grad_w1 = x1 * grad_n  # ∂mul₁/∂w1 = x1" in source
    assert "grad_w1 = x1 * grad_" in source
    compile(source, "<check>", "exec")  # the text is valid Python on its own


def test_tracebacks_and_inspect_point_into_the_source():
    cf = autograd.compile(lambda x: (x * x + 1).log(), 1.0)
    program = cf._last
    assert linecache.getlines(program.filename) == cf.source.splitlines(True)
    assert inspect.getsource(program.function) == cf.source


def test_a_guard_retraces_for_the_other_branch_and_keeps_both():
    calls = []

    def f(x):
        calls.append(x.data)
        return x * x if x > 0 else -x * 3

    cf = autograd.compile(f, 2.0)
    assert cf.value_and_grad(3.0) == (9.0, (6.0,))
    assert len(calls) == 1
    assert cf.value_and_grad(-2.0) == (6.0, (-3.0,))
    assert len(calls) == 2 and len(cf.sources) == 2
    assert "guard: x > 0.0 was True when traced" in cf.sources[0]
    assert cf.value_and_grad(4.0) == (16.0, (8.0,))
    assert cf(-1.0) == 3.0
    assert len(calls) == 2  # both paths are kept


def test_a_guard_on_a_value_outside_the_result_is_checked_too():
    def f(x, y):
        return y * 2 if x * x > 1 else y * 5

    cf = autograd.compile(f, 2.0, 1.0)
    assert cf(0.5, 1.0) == 5.0
    assert cf(3.0, 1.0) == 2.0


def test_relu_abs_and_leaky_relu_need_no_guard():
    cf = autograd.compile(lambda x: x.relu() + abs(x) + x.leaky_relu(0.1), 1.0)
    value, (grad,) = cf.value_and_grad(-2.0)
    assert value == pytest.approx(1.8) and grad == pytest.approx(-0.9)
    assert len(cf.sources) == 1 and "guard" not in cf.source


def test_captured_values_are_read_at_every_call_and_constants_folded():
    w = Value(2.0, label="w")
    cf = autograd.compile(lambda x: x * w + Value(3.0, requires_grad=False) * 2, 1.0)
    assert cf(1.0) == 8.0
    w.data = 10.0
    assert cf.value_and_grad(1.0) == (16.0, (10.0,))
    assert "6.0" in cf.source


def test_identity_and_unused_inputs():
    cf = autograd.compile(lambda x, y: x, 1.0, 2.0)
    assert cf.value_and_grad(5.0, 7.0) == (5.0, (1.0, 0.0))


def test_variadic_ops_and_many_inputs():
    def f(*xs):
        return autograd.weighted_sum(xs[:3], xs[3:], 0.5) + autograd.sum(xs)

    inputs = [0.1, -0.2, 0.3, 1.5, 2.5, -3.5]
    cf = autograd.compile(f, *inputs)
    values = [Value(x) for x in inputs]
    out = f(*values)
    out.backward()
    value, grads = cf.value_and_grad(*inputs)
    assert value == out.data and list(grads) == [v.grad for v in values]


@pytest.mark.parametrize(
    ("fn", "inputs", "error", "message"),
    [
        (lambda x: 3.0, (1.0,), TraceError, "must return a Value, got float"),
        (lambda x: [x, 2], (1.0,), TraceError, "must return a Value, got int"),
        (lambda x, y: x, (1.0,), TypeError, "takes 2 input(s) (x, y), but 1 example"),
        (lambda x: x, (1.0, 2.0), TypeError, "takes 1 input(s) (x), but 2 example"),
        (lambda x: x.log() * math.tanh(x), (1.0,), TraceError, "raised TypeError while being"),
        (lambda x: x.log(), (-1.0,), TraceError, "log: the input must be > 0"),
        (3, (1.0,), TypeError, "compile needs a function, not int"),
        (lambda x: x, ("1",), TypeError, "input x"),
        (lambda x: x, (math.nan,), ValueError, "input x"),
    ],
)
def test_bad_functions_and_inputs_are_refused(fn, inputs, error, message):
    with pytest.raises(error, match=None) as caught:
        autograd.compile(fn, *inputs)
    assert message in str(caught.value)


def test_too_big_a_graph_is_refused(monkeypatch):
    monkeypatch.setattr("autograd.tracing.MAX_NODES", 10)
    with pytest.raises(TraceError, match="more than the limit of 10"):
        autograd.compile(lambda x: autograd.sum([x * i for i in range(20)]), 1.0)


def test_calls_with_the_wrong_inputs_are_refused():
    cf = autograd.compile(lambda a, b: a * b, 1.0, 2.0)
    with pytest.raises(TypeError, match=r"compiled for 2 input\(s\) \(a, b\), got 1"):
        cf(1.0)
    with pytest.raises(TypeError, match=r"input b is a Value; .* \(pass b.item\(\)\)"):
        cf(1.0, Value(2.0))
    with pytest.raises(ValueError, match="input a"):
        cf(math.inf, 1.0)


def test_a_domain_error_at_run_time_names_the_op_and_the_line():
    cf = autograd.compile(lambda x: (x - 1).log(), 3.0)
    with pytest.raises(DomainError) as caught:
        cf(0.5)
    message = str(caught.value)
    assert message.startswith("log: math domain error at line 4 of the compiled source")
    assert "(cf.source): log1 = _float_log(sub1). Shift or clamp the input" in message
    assert cf.source.splitlines()[3].strip().startswith("log1 = _float_log(sub1)")


def test_an_infinite_gradient_names_the_backward_line():
    cf = autograd.compile(lambda x: (x * 1.0).sqrt(), 4.0)
    with pytest.raises(DomainError, match=r"^sqrt: float division by zero at line \d+") as caught:
        cf.value_and_grad(0.0)
    assert "grad_" in str(caught.value)


def test_an_overflow_to_inf_is_found_by_the_checked_rerun():
    cf = autograd.compile(lambda x, y: x * y * y, 1.0, 1.0)
    with pytest.raises(DomainError, match=r"mul: the result is inf, not a finite number at line"):
        cf(1e200, 1e200)


def test_a_traceback_through_generated_code_shows_its_line():
    cf = autograd.compile(lambda x: x.exp(), 1.0)
    try:
        cf._last.run(1000.0)
    except OverflowError as error:
        text = "".join(traceback.format_exception(error))
    assert "exp1 = _float_exp(x)" in text


def test_comparisons_in_another_thread_are_not_recorded_as_guards():
    import threading

    started, finish = threading.Event(), threading.Event()
    other = Value(1.0)

    def compare_elsewhere():
        started.wait()
        for _ in range(100):
            assert other > 0
        finish.set()

    def f(x):
        started.set()
        finish.wait(5)
        return x * 2

    thread = threading.Thread(target=compare_elsewhere)
    thread.start()
    cf = autograd.compile(f, 1.0)
    thread.join()
    assert "guard" not in cf.source and cf._last.source.lines
    assert cf(3.0) == 6.0


@given(programs(ops=ALL_OPS, max_steps=12))
def test_the_array_version_of_the_code_agrees_with_the_float_version(program):
    np = pytest.importorskip("numpy")
    from autograd.compiler import array_namespace
    from autograd.compiler import program as compiled_program
    from autograd.tracing import trace

    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(program[0])]
    traced = trace(lambda: run(program, leaves, ValueMath())[-1], leaves)
    names = [leaf.label for leaf in leaves]
    floats = compiled_program(traced, names, "floats")
    arrays = compiled_program(traced, names, "arrays", on_arrays=True, namespace=array_namespace())
    columns = [np.array([x, x * 0.5, x - 0.25]) for x in program[0]]
    with np.errstate(all="ignore"):
        (value,), grads = arrays.run(*columns)
    for k in range(3):
        try:
            (expected,), expected_grads = floats.run(*(float(c[k]) for c in columns))
        except (ArithmeticError, ValueError):
            continue
        if not np.isfinite([expected, *expected_grads]).all():
            continue
        assert float(np.broadcast_to(value, (3,))[k]) == pytest.approx(expected, rel=1e-12)
        for g, e in zip(grads, expected_grads, strict=True):
            assert float(np.broadcast_to(g, (3,))[k]) == pytest.approx(e, rel=1e-9, abs=1e-12)


def test_a_long_sum_is_computed_by_the_rows_own_rule():
    numbers = [1e16, 1.0, -1e16] + [0.0] * 70  # plain left-to-right addition would give 0.0
    values = [Value(x) for x in numbers]
    expected = autograd.sum(values)
    cf = autograd.compile(lambda *xs: autograd.sum(list(xs)), *numbers)
    assert cf(*numbers) == expected.data == 1.0
    assert "sum1 = _sum_forward((x1, x2, x3" in cf.source


@pytest.mark.parametrize("kind", ["weighted_sum", "sum"])
def test_a_neuron_with_thousands_of_inputs_compiles_as_one_call(kind):
    import random

    rng = random.Random(1)
    x = [rng.uniform(-1, 1) for _ in range(3000)]
    weights = [rng.uniform(-1, 1) for _ in range(3000)]

    def neuron(*w):
        total = autograd.weighted_sum(list(w), x, 0.5) if kind == "weighted_sum" else None
        return (total if total is not None else autograd.sum(list(w))).tanh()

    cf = autograd.compile(neuron, *weights)  # one long expression would be too deep to parse
    assert f"_{kind}_forward((" in cf.source
    leaves = [Value(v) for v in weights]
    out = neuron(*leaves)
    out.backward()
    value, grads = cf.value_and_grad(*weights)
    assert value == pytest.approx(out.data, rel=1e-12)
    assert list(grads) == pytest.approx([leaf.grad for leaf in leaves], rel=1e-12)
