"""compare_engine and the bug museum: correct engines pass, each classic mistake is caught and
named, missing ops are not failures, and a class that raises or loops is reported in time."""

import math
import sys

import pytest

from autograd import compare_engine, museum, palette
from autograd.engine_bank import BANK, EngineTimeout, TimeLimit, apply_op, run_case
from autograd.value import Value

micrograd_engine = pytest.importorskip("micrograd.engine")


def test_the_lecture_engine_passes_with_no_note():
    report = compare_engine(museum.LectureValue)
    assert report.passed and bool(report)
    assert report.notes == [] and report.failure is None and report.drawing() is None
    unsupported = {r.case.text for r in report.unsupported}
    assert {"sqrt(a)", "sin(a)", "2^a"} <= unsupported
    assert "tanh(a)" not in unsupported
    assert str(report).startswith("LectureValue passed: all ")


def test_micrograds_own_value_passes_and_double_counting_is_a_note():
    report = compare_engine(micrograd_engine.Value)
    assert report.passed
    unsupported = {r.case.text for r in report.unsupported}
    assert {"tanh(a)", "exp(a)", "2^a"} <= unsupported
    assert "a · b" not in unsupported and "ReLU(a)" not in unsupported
    # The neuron needs tanh, which micrograd 0.1.0 lacks: skipped, not failed.
    neuron = next(r for r in report.results if r.case.text.startswith("tanh(x1"))
    assert neuron.status == "skipped" and "needs tanh" in neuron.message
    (note,) = report.notes
    assert "issue #53" in note and "Zero the gradients between calls" in note
    assert "Note: calling backward() twice" in str(report)


@pytest.mark.parametrize(
    ("exhibit", "expression", "op"),
    [
        (museum.AssignedGrad, "a · b + a", "mul, add"),
        (museum.RevisitingSort, "c + c · 2 with c = a · b", "mul"),
        (museum.ChildrenInASet, "a · a", "mul"),
        (museum.ZeroingOnlyParameters, "(a · b + c) · (-2)", "zero_grad"),
    ],
)
def test_each_exhibit_is_caught_and_named(exhibit, expression, op):
    report = compare_engine(exhibit)
    failure = report.failure
    assert not report.passed
    assert (failure.case.text, failure.op, failure.status) == (expression, op, "failed")
    assert failure.diagnosis == exhibit.mistake and failure.fix == exhibit.fix
    text = str(report)
    assert f"FAILED on {expression}" in text and f"'{exhibit.mistake}'" in text
    # The drawing marks the node where the two engines first disagree.
    source = report.drawing().source
    assert palette.HIGHLIGHT in source
    assert failure.node in set(failure.root.walk())


def test_double_counting_backward_is_a_note_not_a_failure():
    report = compare_engine(museum.DoubleCountingBackward)
    assert report.passed
    assert len(report.notes) == 1 and museum.DoubleCountingBackward.fix in report.notes[0]


def test_the_failure_names_the_node_and_both_numbers():
    report = compare_engine(museum.AssignedGrad)
    assert report.failure.message.startswith(
        "After backward(), ∂out/∂a is -3 in your engine and -2 in chainrule."
    )
    assert "chainrule adds -3 · 1 (from mul₁) + 1 · 1 (from add₁) = -2" in report.failure.message


class WrongTanh(museum.LectureValue):
    """tanh's derivative taken as sigmoid's s(1 - s), written with tanh's output."""

    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (t * (1.0 - t),), "tanh")


def test_a_wrong_local_derivative_names_the_op_with_no_museum_match():
    report = compare_engine(WrongTanh)
    failure = report.failure
    assert (failure.case.text, failure.op, failure.diagnosis) == ("tanh(a)", "tanh", "")
    assert failure.node.label == "a"


class WrongForward(museum.LectureValue):
    def exp(self):
        return type(self)(self.data, (self,), (1.0,), "exp")


def test_a_wrong_forward_value_is_reported_at_its_node():
    failure = compare_engine(WrongForward).failure
    assert failure.stage == "forward" and failure.op == "exp"
    assert "The forward pass differs at exp₁" in failure.message


class RaisesInBackward(museum.LectureValue):
    def backward(self):
        raise RuntimeError("not written yet")


def test_a_class_that_raises_is_reported_with_the_expression_and_the_error():
    report = compare_engine(RaisesInBackward)
    failure = report.failure
    assert failure.status == "error"
    assert failure.message == "On a + b, backward() raised RuntimeError: not written yet"
    assert "FAILED on a + b" in str(report)


class LoopsForever(museum.LectureValue):
    def backward(self):
        while True:
            pass


class LoopsSwallowingErrors(museum.LectureValue):
    def tanh(self):
        while True:
            try:
                pass
            except Exception:  # a learner's catch-all cannot keep it looping
                continue


def test_a_class_that_loops_is_stopped_within_the_time_limit():
    before = sys.gettrace()
    report = compare_engine(LoopsForever, time_limit=0.05)
    assert sys.gettrace() is before
    assert report.failure.message == (
        "On a + b, backward() did not finish: the expression a + b did not finish within 0.05 s"
    )
    looping = compare_engine(LoopsSwallowingErrors, time_limit=0.05)
    tanh = next(r for r in looping.results if r.case.text == "tanh(a)")
    assert tanh.status == "error" and "did not finish within 0.05 s" in tanh.message


class NoNumbers:
    def __init__(self, data):
        raise TypeError("my Value takes no floats")


def test_a_class_whose_constructor_raises_stops_at_once():
    report = compare_engine(NoNumbers)
    assert [r.status for r in report.results] == ["error"]
    assert report.failure.message == "NoNumbers(2.0) raised TypeError: my Value takes no floats"


def test_an_op_that_works_alone_but_raises_in_an_expression_is_an_error():
    class Fragile(museum.LectureValue):
        def __add__(self, other):
            if isinstance(other, museum.LectureValue) and other._prev and self._prev:
                raise ValueError("cannot add two results")
            return super().__add__(other)

    report = compare_engine(Fragile)
    failure = report.failure
    assert failure.status == "error" and failure.case.text == "c + c · 2 with c = a · b"
    assert failure.message == (
        "computing c + c · 2 with c = a · b raised ValueError: cannot add two results"
    )
    assert report.drawing() is not None


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="compare_engine needs a class"):
        compare_engine(museum.LectureValue(1.0))
    with pytest.raises(ValueError, match="time_limit must be > 0"):
        compare_engine(museum.LectureValue, time_limit=0)
    with pytest.raises(TypeError, match="time_limit must be a number"):
        compare_engine(museum.LectureValue, time_limit="1")


def test_the_bank_covers_every_op_with_a_method_and_the_engine_traps():
    ops = set()
    for case in BANK:
        ops.update(run_case(case, Value).ops)
    from autograd.ops import OPS, Op

    assert ops == {name for name, row in OPS.items() if isinstance(row, Op) and row.methods}
    texts = [case.text for case in BANK]
    assert {"a · a", "a · b + a", "c + c · 2 with c = a · b", "2 · a", "a · 2"} <= set(texts)
    assert sum(case.again for case in BANK) >= 1


def test_every_case_runs_on_chainrule_and_the_museums_reference_gives_the_same_numbers():
    for case in BANK:
        ours = run_case(case, Value)
        assert ours.stage == "done", (case.text, ours.error)


def test_apply_op_writes_the_op_as_python_does():
    a = Value(3.0)
    assert apply_op("sub", [2, a]).data == -1.0  # 2 - a reaches __rsub__
    assert apply_op("pow_value", [2, a]).data == 8.0  # 2 ** a
    assert apply_op("leaky_relu", [Value(-2.0), 0.5]).data == -1.0


def test_time_limit_puts_back_the_trace_function_that_was_set():
    def forever():
        while True:
            pass

    calls = []

    def outer(frame, event, arg):
        calls.append(event)
        return None

    sys.settrace(outer)
    try:
        expected = pytest.raises(EngineTimeout, match=r"forever did not finish within 0\.02 s")
        with expected, TimeLimit(0.02, "forever"):
            forever()
        assert sys.gettrace() is outer
    finally:
        sys.settrace(None)


class ShoutsInColour(museum.LectureValue):
    def backward(self):
        raise RuntimeError("\x1b[31mred alert\x07" + "!" * 1000)


class UnreadableError(Exception):
    def __str__(self):
        raise ValueError("no message")


class RaisesUnreadably(museum.LectureValue):
    def backward(self):
        raise UnreadableError


def test_a_learners_error_text_is_printed_safely():
    message = compare_engine(ShoutsInColour).failure.message
    assert "\x1b" not in message and "\x07" not in message
    assert "RuntimeError: \\x1b[31mred alert\\x07!!!" in message and message.endswith("…")
    unreadable = compare_engine(RaisesUnreadably).failure.message
    assert unreadable.endswith("UnreadableError: (its message could not be read)")


class KarpathyValue:
    """The lecture's engine as written there: closures, ``**`` for division, tanh and exp."""

    def __init__(self, data, _children=()):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)

    def __add__(self, other):
        other = other if isinstance(other, KarpathyValue) else KarpathyValue(other)
        out = KarpathyValue(self.data + other.data, (self, other))

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, KarpathyValue) else KarpathyValue(other)
        out = KarpathyValue(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, int | float)
        out = KarpathyValue(self.data**other, (self,))

        def _backward():
            self.grad += other * self.data ** (other - 1) * out.grad

        out._backward = _backward
        return out

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __radd__(self, other):
        return self + other

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = KarpathyValue(t, (self,))

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = KarpathyValue(math.exp(self.data), (self,))

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


def test_the_lectures_own_engine_passes():
    report = compare_engine(KarpathyValue)
    assert report.passed, str(report)
    texts = {r.case.text: r.status for r in report.results}
    assert texts["tanh(x1 · w1 + x2 · w2 + b)"] == "ok" and texts["a / b"] == "ok"
    assert texts["2 - a"] == "not supported"  # no __rsub__ in the lecture's class
    assert any("issue #53" in note for note in report.notes)


class LeavesOnly(museum.LectureValue):
    """Keeps gradients on the inputs only, as PyTorch does by default."""

    def backward(self):
        super().backward()
        for node in self._topological_order():
            if node._prev:
                node.grad = 0.0


class LeavesOnlyButWrong(LeavesOnly):
    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1.0 - t,), "tanh")


def test_an_engine_that_keeps_no_interior_gradients_is_compared_on_its_inputs():
    report = compare_engine(LeavesOnly)
    assert report.passed
    assert any("keeps no gradient on the values computed along the way" in n for n in report.notes)
    wrong = compare_engine(LeavesOnlyButWrong).failure
    assert wrong.case.text == "tanh(a)" and wrong.node.label == "a"


def test_chainrules_own_value_passes_everything():
    report = compare_engine(Value)
    assert report.passed and report.unsupported == [] and report.notes == []


def test_engines_are_compared_in_several_threads_at_once():
    import threading

    reports = {}

    def run(cls, limit):
        reports[cls] = compare_engine(cls, time_limit=limit)

    threads = [
        threading.Thread(target=run, args=(LoopsForever, 0.05)),
        threading.Thread(target=run, args=(museum.ChildrenInASet, 2.0)),
        threading.Thread(target=run, args=(museum.LectureValue, 2.0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert "did not finish" in reports[LoopsForever].failure.message
    assert reports[museum.ChildrenInASet].failure.diagnosis == "children kept in a set"
    assert reports[museum.LectureValue].passed
