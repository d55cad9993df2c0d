"""Value: construction, attributes, operators, errors and the backward() semantics."""

import gc
import math
import weakref
from fractions import Fraction

import pytest

import autograd
from autograd import DomainError, Value, no_grad
from autograd.ops import PowArg, WeightedSumArg


class TestConstruction:
    def test_attributes_of_a_leaf(self):
        x = Value(3, label="x")
        assert x.data == 3.0 and type(x.data) is float
        assert (x.grad, x.label, x.op, x.parents, x.local_grads, x.op_arg) == (
            0.0,
            "x",
            "",
            (),
            (),
            None,
        )

    @pytest.mark.parametrize("number", [True, 2, 2.5, Fraction(1, 4)])
    def test_accepts_real_numbers(self, number):
        assert Value(number).data == float(number)

    @pytest.mark.parametrize(
        ("bad", "type_name"), [("1.0", "str"), (1j, "complex"), (None, "NoneType"), ([1], "list")]
    )
    def test_rejects_non_numbers_naming_the_type(self, bad, type_name):
        with pytest.raises(TypeError, match=f"not {type_name}"):
            Value(bad)

    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
    def test_rejects_non_finite(self, bad):
        with pytest.raises(ValueError, match="must be a finite number"):
            Value(bad)

    def test_rejects_a_value_and_a_bad_label(self):
        with pytest.raises(TypeError, match="detach"):
            Value(Value(1.0))
        with pytest.raises(TypeError, match="label must be a str"):
            Value(1.0, label=3)

    def test_repr_item_and_format(self):
        x = Value(2.0, label="x")
        assert repr(x) == "Value(data=2.0, grad=0.0, label='x')"
        assert repr(x * 2) == "Value(data=4.0, grad=0.0, op='mul')"
        assert repr(Value(1.0, requires_grad=False)) == (
            "Value(data=1.0, grad=0.0, requires_grad=False)"
        )
        assert x.item() == 2.0 and type(x.item()) is float
        assert f"{x:.3f}" == "2.000" and f"{x:>6.1f}" == "   2.0" and f"{x}" == repr(x)

    def test_no_silent_cut_of_the_graph(self):
        # float(v) would let math.tanh(v) return a float and lose the gradient.
        x = Value(0.5, label="x")
        for call in (math.tanh, math.exp, float, int, lambda v: [1, 2][v]):
            with pytest.raises(TypeError):
                call(x)

    def test_identity_hashing_and_numeric_ordering(self):
        a, b = Value(1.0), Value(1.0)
        assert a != b and a == a
        assert len({a: 1, b: 2}) == 2
        assert a <= b and a >= b and not a < b and not a > b
        assert a < 2 and a > 0.5 and a <= 1 and a >= 1
        with pytest.raises(TypeError, match="not str"):
            _ = a < "2"


class TestOperators:
    def test_numbers_on_either_side(self):
        x = Value(4.0)
        assert [(x + 1).data, (1 + x).data] == [5.0, 5.0]
        assert [(x - 1).data, (1 - x).data] == [3.0, -3.0]
        assert [(x * 2).data, (2 * x).data] == [8.0, 8.0]
        assert [(x / 2).data, (2 / x).data] == [2.0, 0.5]
        assert [(x**0.5).data, (2**x).data] == [2.0, 16.0]
        assert [(-x).data, abs(-x).data] == [-4.0, 4.0]

    @pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
    def test_numbers_on_the_left_get_gradients_right(self, op):
        x = Value(1.5, label="x")
        out = {
            "+": lambda: 2 + x,
            "-": lambda: 2 - x,
            "*": lambda: 2 * x,
            "/": lambda: 2 / x,
            "**": lambda: 2**x,
        }[op]()
        out.backward()
        expected = {"+": 1.0, "-": -1.0, "*": 2.0, "/": -2 / 1.5**2, "**": 2**1.5 * math.log(2)}
        assert x.grad == pytest.approx(expected[op])
        assert out.parents[-1] is x  # the number became the other parent, in argument order

    def test_unsupported_operand_message(self):
        with pytest.raises(TypeError, match=r"add: the other operand must be a number.*str"):
            Value(1.0) + "a"
        with pytest.raises(TypeError, match=r"mul: the other operand .*list"):
            [1] * Value(2.0)
        with pytest.raises(TypeError, match="exponent"):
            Value(2.0) ** "2"

    def test_methods(self):
        x = Value(0.5)
        assert x.exp().data == pytest.approx(math.exp(0.5))
        assert x.log().data == pytest.approx(math.log(0.5))
        assert x.sqrt().data == pytest.approx(math.sqrt(0.5))
        assert x.tanh().data == pytest.approx(math.tanh(0.5))
        assert x.sigmoid().data == pytest.approx(1 / (1 + math.exp(-0.5)))
        assert x.relu().data == 0.5 and (-x).relu().data == 0.0

    def test_pow_by_number_keeps_the_exponent(self):
        x = Value(-2.0)
        y = x**3
        assert (y.data, y.op, y.op_arg, y.parents, y.local_grads) == (
            -8.0,
            "pow",
            PowArg(3.0),
            (x,),
            (12.0,),
        )

    def test_sum_is_one_node(self):
        xs = [Value(float(i)) for i in range(5)]
        total = autograd.sum([*xs, 10])
        assert total.data == 20.0 and total.op == "sum"
        assert len(total.parents) == 6 and total.local_grads == (1.0,) * 6
        with pytest.raises(ValueError, match="at least one term"):
            autograd.sum([])

    def test_weighted_sum_orders_parents_and_lifts_numbers_to_constants(self):
        w = [Value(0.5, label="w1"), Value(-2.0, label="w2")]
        x = [Value(3.0, label="x1"), Value(4.0, label="x2")]
        b = Value(0.25, label="b")
        s = autograd.weighted_sum(w, x, b)
        assert s.data == 0.5 * 3 - 2 * 4 + 0.25
        assert s.parents == (*w, *x, b)
        assert s.local_grads == (3.0, 4.0, 0.5, -2.0, 1.0)
        assert s.op_arg == WeightedSumArg(n=2, bias=True)
        mixed = autograd.weighted_sum([w[0], 2.0], [1.0, x[1]], 1.0)
        assert mixed.data == 0.5 + 8.0 + 1.0
        assert [p.data for p in mixed.parents] == [0.5, 2.0, 1.0, 4.0, 1.0]
        assert [p.requires_grad for p in mixed.parents] == [True, False, False, True, False]
        assert mixed.local_grads == (1.0, 4.0, 0.5, 2.0, 1.0)
        assert mixed.op_arg == WeightedSumArg(n=2, bias=True)
        mixed.backward()
        assert (w[0].grad, x[1].grad) == (1.0, 2.0)
        assert all(p.grad == 0.0 for p in mixed.parents if not p.requires_grad)

    def test_weighted_sum_errors(self):
        w = [Value(1.0)]
        with pytest.raises(ValueError, match="as many weights as inputs; got 1 weights and 2"):
            autograd.weighted_sum(w, [1.0, 2.0])
        with pytest.raises(ValueError, match="at least one"):
            autograd.weighted_sum([], [])
        with pytest.raises(TypeError, match=r"weighted_sum: an input must be a number.*str"):
            autograd.weighted_sum(w, ["1"])
        with pytest.raises(ValueError, match="must be a finite number"):
            autograd.weighted_sum(w, [math.inf])
        with pytest.raises(TypeError, match="bias"):
            autograd.weighted_sum(w, [1.0], "b")


class TestDomainErrors:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda x: x.log(), r"log: the input must be > 0, got a = 0.0 \(Value 'x'\)"),
            (lambda x: (x - 1).sqrt(), "sqrt: the input must be >= 0, got a = -1.0"),
            (lambda x: 1 / x, "div: division by zero"),
            (lambda x: x**-1, "pow: 0 to a negative power"),
            (lambda x: (x - 8) ** (1 / 3), "pow: a negative base needs a whole-number exponent"),
            (lambda x: x**x, "pow_value: a Value exponent needs a base > 0"),
            (
                lambda x: (x + 1000).exp(),
                r"exp: the result overflows a float \(a above 709.78\), got a = 1000.0",
            ),
        ],
    )
    def test_messages_name_op_value_and_label(self, make, message):
        x = Value(0.0, label="x")
        with pytest.raises(DomainError, match=message):
            make(x)

    def test_domain_error_is_a_value_error(self):
        assert issubclass(DomainError, ValueError)

    def test_an_overflow_in_the_forward_pass_is_named_at_the_op(self):
        big = Value(1e200, label="big")
        with pytest.raises(
            DomainError, match=r"mul: the result overflows a float \(inf\), got a = 1e\+200 "
        ):
            big * 1e200
        with pytest.raises(DomainError, match=r"weighted_sum: the result overflows"):
            autograd.weighted_sum([big, big], [1e200, 1e200])

    def test_gradient_overflow_is_caught_by_backward(self):
        x = Value(1e-200, label="x")
        z = (x * 1e200) * 1e200  # every value finite, but dz/dx = 1e400 overflows
        assert math.isfinite(z.data)
        with pytest.raises(DomainError, match=r"gradient of 'x' .* is inf"):
            z.backward()


class TestBackward:
    def test_x_times_x_keeps_both_edges(self):
        x = Value(3.0)
        y = x * x
        assert y.parents == (x, x)
        y.backward()
        assert x.grad == 6.0

    def test_a_plus_a(self):
        a = Value(2.0)
        (a + a).backward()
        assert a.grad == 2.0

    def test_diamond(self):
        x = Value(2.0, label="x")
        left, right = x * 3, x.exp()
        top = left * right
        top.backward()
        assert x.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2))

    def test_reused_interior_node(self):
        x = Value(0.5)
        h = x.tanh()
        out = h * h + h
        out.backward()
        dh = 2 * h.data + 1
        assert h.grad == pytest.approx(dh)
        assert x.grad == pytest.approx(dh * (1 - h.data**2))

    def test_repeated_backward_does_not_double_count_interior_grads(self):
        x = Value(2.0)
        h = x * 3
        out = h * h
        out.backward()
        first = (h.grad, out.grad, x.grad)
        out.backward()
        assert (h.grad, out.grad) == first[:2]
        assert x.grad == 2 * first[2]  # leaves accumulate, as in PyTorch
        out.zero_grad()
        out.backward()
        assert x.grad == first[2]

    def test_backward_on_a_leaf(self):
        x = Value(1.0)
        x.backward()
        x.backward()
        assert x.grad == 2.0

    def test_million_node_chain_has_no_recursion_limit(self):
        x = Value(1.0, label="x")
        y = x
        for _ in range(1_000_000):
            y = y + 1.0
        y.backward()
        assert x.grad == 1.0 and y.data == 1_000_001.0

    def test_no_grad_and_detach(self):
        x = Value(2.0)
        with no_grad():
            assert not autograd.is_grad_enabled()
            y = x * x + 1
            s = autograd.weighted_sum([x], [x], x)
            t = autograd.sum([x, x])
        assert autograd.is_grad_enabled()
        assert (y.data, y.parents, y.local_grads) == (5.0, (), ())
        assert (s.data, s.parents, t.parents) == (6.0, (), ())
        d = (x * 3).detach()
        assert d.parents == () and d.data == 6.0

    def test_no_grad_restores_state_after_an_error(self):
        with pytest.raises(RuntimeError), no_grad():
            raise RuntimeError("boom")
        assert autograd.is_grad_enabled()

    def test_dropping_a_graph_frees_it_at_once(self):
        gc.disable()
        try:
            x = Value(1.0)
            y = x
            refs = []
            for _ in range(1000):
                y = (y * 1.0001).tanh() + x
                refs.append(weakref.ref(y))
            y.backward()
            del y
            assert all(r() is None for r in refs), "graph kept alive: a reference cycle"
        finally:
            gc.enable()


def test_huge_ints_are_refused_clearly():
    with pytest.raises(ValueError, match="too large for a float"):
        Value(1.0) * 10**400
    with pytest.raises(ValueError, match="too large for a float"):
        Value(10**400)
    assert (Value(1.0) + 2**62).data == float(2**62)


def test_overflow_inside_an_op_is_named_in_words():
    with pytest.raises(DomainError, match=r"pow: the result is too large for a float.*n = 2.0"):
        Value(1e200, label="x") ** 2
    with pytest.raises(DomainError, match="pow_value: the result is too large for a float"):
        Value(9.0) ** Value(1000.0)


def test_star_import_keeps_the_builtin_sum():
    namespace: dict = {}
    exec("from autograd import *", namespace)
    assert "sum" not in namespace and "Value" in namespace
    assert callable(autograd.sum)


class TestDataSetByHand:
    def test_a_non_number_in_data_is_named_by_the_next_op(self):
        x = Value(1.0, label="x")
        x.data = "abc"
        with pytest.raises(
            TypeError, match=r"mul: the data of input a \('abc' \(Value 'x'\)\) is of type str"
        ):
            x * 2
        with pytest.raises(TypeError, match=r"tanh: the data of input a .* is of type str"):
            x.tanh()

    def test_backward_names_a_node_whose_grad_or_data_is_not_a_number(self):
        x = Value(1.0, label="x")
        y = x * 2
        z = y + 1
        y.grad = None  # interior grads are reset by backward, so this one is harmless
        z.backward()
        assert x.grad == 2.0
        x.grad = None
        with pytest.raises(TypeError, match=r"the grad of 'x' is None \(NoneType\), not a float"):
            z.backward()

    def test_nan_set_by_hand_is_reported(self):
        x = Value(1.0, label="x")
        y = x * 2
        x.data = math.nan
        with pytest.raises(DomainError, match=r"value of 'x' .* is nan, set by hand"):
            y.backward()


def test_weighted_sums_make_the_same_nodes_as_weighted_sum():
    rows = [[Value(0.5), Value(-1.0)], [Value(2.0), 3.0], [Value(0.1), Value(0.2)]]
    biases = [Value(0.25), None, 1.5]
    for inputs in ([Value(1.0), Value(2.0)], [1.0, 2], [Value(1.0), 2.0]):
        together = autograd.weighted_sums(rows, inputs, biases)
        pairs = zip(rows, biases, strict=True)
        one_by_one = [autograd.weighted_sum(w, inputs, b) for w, b in pairs]
        for a, b in zip(together, one_by_one, strict=True):
            assert (a.data, a.local_grads, a.op_arg) == (b.data, b.local_grads, b.op_arg)
            # Plain numbers become constants: the same numbers, not the same objects.
            assert [p.data for p in a.parents] == [p.data for p in b.parents]
            assert [p for p in a.parents if p.requires_grad] == [
                p for p in b.parents if p.requires_grad
            ]
    with pytest.raises(ValueError, match="one bias \\(or None\\) per row of weights; got 3 rows"):
        autograd.weighted_sums(rows, [1.0, 2.0], [None])
    with pytest.raises(ValueError, match="as many weights as inputs; got 2 weights and 3"):
        autograd.weighted_sums(rows, [1.0, 2.0, 3.0], biases)
