"""Tests for ch05/gradient_check.py (§5.7.3)."""
import warnings

import numpy as np

from ch05.gradient_check import gradient_check
from ch05.two_layer_net import TwoLayerNet
from dlkata.testing import expect_close, expect_equal, expect_true, kata, max_rel_error
from tests.ch05.helpers import kink_margin, set_params, small_case

TOL = 1e-6  # backprop must agree with the numerical gradient to this max relative error


class FakeNet:
    """Hands out fixed gradients and remembers what it was called with."""

    def __init__(self, backprop, numerical):
        self.backprop, self.numerical, self.calls = backprop, numerical, []

    def gradient(self, x, t):
        self.calls.append(("gradient", x, t))
        return {k: np.array(v, dtype=float) for k, v in self.backprop.items()}

    def numerical_gradient(self, x, t):
        self.calls.append(("numerical_gradient", x, t))
        return {k: np.array(v, dtype=float) for k, v in self.numerical.items()}


@kata("ch05.gradient_check")
class TestGradientCheck:
    def test_max_relative_error_per_parameter(self):
        net = FakeNet(backprop={"W": [[1.0, -2.0], [3.0, 4.0]], "b": [0.5, 1.0], "c": [1.0, 2.0]},
                      numerical={"W": [[1.0, -2.2], [3.0, 4.0]], "b": [0.5, 1.0], "c": [-1.0, 2.0]})
        x, t = np.ones((2, 3)), np.array([0, 1])
        got = gradient_check(net, x, t)
        call = "gradient_check(net, x, t)"
        expect_equal(sorted(got), ["W", "b", "c"], call=f"sorted({call})",
        note=("勾配のキーごとに 1 つ",
              "one entry per key of the gradient"))
        want = {"W": 0.2 / 4.2, "b": 0.0, "c": 1.0}
        for k, v in want.items():
            expect_close(got.get(k), v, call=f"{call}['{k}']", rtol=1e-9, atol=1e-12,
                         note=("要素ごとの |a − n| / (|a| + |n|) の最大値: 本のスクリプトは |a − n| の平均を表示しますが、"
                               "ここでは最大相対誤差です。1 つの誤った要素が平均で薄まらないように",
                               "max over elements of |a − n| / (|a| + |n|): the book's script prints the mean "
                               "|a − n|; here the max relative error, as one wrong element must not be averaged away"))
        for k in want:
            expect_true(isinstance(got.get(k), float), call=f"{call}['{k}']", note=("float の値", "a float"),
                        actual=type(got.get(k)).__name__, expected="float")
        used = {(name, a is x, b is t) for name, a, b in net.calls}
        expect_equal(used, {("gradient", True, True), ("numerical_gradient", True, True)},
                     call=call, note=("同じデータで network.gradient(x, t) と network.numerical_gradient(x, t) を呼びます",
                                      "calls network.gradient(x, t) and network.numerical_gradient(x, t) on the same data"))

    def test_zero_in_both_counts_as_zero(self):
        net = FakeNet(backprop={"W": [[0.0, 2.0]], "b": [0.0, 0.0]}, numerical={"W": [[0.0, 2.0]], "b": [0.0, 0.0]})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = gradient_check(net, np.ones((2, 1)), np.array([0, 1]))
        expect_close(got.get("W"), 0.0, call="gradient_check(net, x, t)['W']  # a = n = [[0, 2]]",
                     note=("両方の勾配で 0 の要素の誤差は 0 で、nan ではありません",
                           "an element that is 0 in both gradients has error 0, not nan"))
        expect_close(got.get("b"), 0.0, call="gradient_check(net, x, t)['b']  # a = n = [0, 0]",
                     note=("両方の勾配で 0 の要素の誤差は 0 で、nan ではありません",
                           "an element that is 0 in both gradients has error 0, not nan"))
        warned = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        expect_equal(warned, [], call="gradient_check(net, x, t)  # zeros in both gradients",
                     note=("RuntimeWarning は出さないこと: 割り算を守りましょう (例: np.maximum(|a| + |n|, 1e-12))",
                           "no RuntimeWarning: guard the division (e.g. np.maximum(|a| + |n|, 1e-12))"))

    def test_backprop_agrees_on_a_small_net(self):
        params, x, t_idx, t_onehot = small_case()
        assert kink_margin(params, x) > 0.1, "test setup: ReLU inputs must stay off the kink"
        net = TwoLayerNet(4, 5, 3)
        set_params(net, params)
        for t, name in ((t_idx, "t_idx"), (t_onehot, "t_onehot")):
            got = gradient_check(net, x, t)
            call = f"gradient_check(TwoLayerNet(4, 5, 3), x, {name})"
            expect_equal(sorted(got), ["W1", "W2", "b1", "b2"], call=f"sorted({call})")
            grad, num = net.gradient(x, t), net.numerical_gradient(x, t)
            for k in ("W1", "b1", "W2", "b2"):
                expect_close(got.get(k), max_rel_error(grad[k], num[k]), rtol=1e-6, atol=1e-12,
                             call=f"{call}['{k}']",
                             note=("2 つの勾配の相対誤差の最大値",
                                   "max relative error between the two gradients"))
                expect_true(got.get(k, np.inf) < TOL, call=f"{call}['{k}']",
                            note=(f"誤差逆伝播法と数値微分の勾配は {TOL:.0e} 以内で一致するはずです",
                                  f"backprop and numerical gradient must agree within {TOL:.0e}"),
                            actual=got.get(k), expected=f"< {TOL:.0e}")
