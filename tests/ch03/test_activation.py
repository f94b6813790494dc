"""Tests for ch03/activation.py (§3.2, §3.5), grouped by kata."""
import numpy as np

from ch03.activation import identity_function, relu, sigmoid, softmax, step_function
from dlkata.testing import expect_close, expect_dtype_kind, expect_equal, expect_true, kata, rng


def _unchanged(x, before, call):
    expect_equal(x, before, call=call,
    note=("入力の配列を変えてはいけません",
          "the input array must not change"))


@kata("ch03.step_function")
class TestStepFunction:
    def test_values(self):
        x = np.array([-1.0, 1.0, 2.0])
        expect_equal(step_function(x), np.array([0, 1, 1]), call="step_function([-1.0, 1.0, 2.0])")

    def test_zero_gives_zero(self):
        x = np.array([-0.5, 0.0, 1e-300, -1e-300])
        expect_equal(step_function(x), np.array([0, 0, 1, 0]), call="step_function([-0.5, 0.0, 1e-300, -1e-300])",
                     note=("step(0) = 0: ニューロンは x > 0 のときだけ発火します",
                           "step(0) = 0: the neuron fires only for x > 0"))

    def test_returns_int(self):
        got = step_function(np.array([-1.0, 0.0, 3.0]))
        expect_dtype_kind(got, "iu", call="step_function([-1.0, 0.0, 3.0]).dtype")
        expect_dtype_kind(step_function(np.array([[0.5, -0.5]])), "iu", call="step_function([[0.5, -0.5]]).dtype")

    def test_keeps_the_shape(self):
        x = np.array([[0.1, -0.2, 0.0], [-3.0, 4.0, 5.0]])
        before = x.copy()
        expect_equal(step_function(x), np.array([[1, 0, 0], [0, 1, 1]]), call="step_function(x of shape (2, 3))")
        _unchanged(x, before, "step_function(x)")


@kata("ch03.sigmoid")
class TestSigmoid:
    def test_known_values(self):
        expect_close(sigmoid(np.array([-1.0, 1.0, 2.0])), np.array([0.26894142, 0.73105858, 0.88079708]),
                     call="sigmoid([-1.0, 1.0, 2.0])", rtol=1e-7, atol=1e-8,
                     note=("1 / (1 + exp(-x)): exp(x) ではなく exp(-x)",
                           "1 / (1 + exp(-x)): exp(-x), not exp(x)"))
        expect_close(sigmoid(np.array([0.0])), np.array([0.5]), call="sigmoid([0.0])")

    def test_shape_range_and_symmetry(self):
        x = rng(0).uniform(-8.0, 8.0, size=(2, 3))
        got = sigmoid(x)
        expect_close(got, 1.0 / (1.0 + np.exp(-x)), call="sigmoid(x of shape (2, 3))")
        expect_close(sigmoid(-x), 1.0 - np.asarray(got), call="sigmoid(-x)", note="sigmoid(-x) = 1 - sigmoid(x)")

    def test_saturates_without_warnings(self):
        x = np.array([-30.0, 30.0])
        expect_close(sigmoid(x), np.array([9.357622968839e-14, 1.0]), call="sigmoid([-30.0, 30.0])",
                     rtol=1e-9, atol=1e-16)


@kata("ch03.relu")
class TestRelu:
    def test_values(self):
        x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
        expect_close(relu(x), np.array([0.0, 0.0, 0.0, 0.5, 3.0]), call="relu([-2.0, -0.5, 0.0, 0.5, 3.0])")

    def test_does_not_change_its_input(self):
        x = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 0.25]])
        before = x.copy()
        got = relu(x)
        expect_close(got, np.array([[0.0, 2.0, 0.0], [4.0, 0.0, 0.25]]), call="relu(x of shape (2, 3))")
        _unchanged(x, before, "relu(x)")
        expect_true(not np.shares_memory(got, x), call="relu(x)",
                    note=("x[x < 0] = 0 は呼び出し側の配列を書き換えます: 新しい配列を返しましょう",
                          "x[x < 0] = 0 rewrites the caller's array: return a new one"))

    def test_float_stays_float(self):
        expect_dtype_kind(relu(np.array([-1.5, 2.5])), "f", call="relu([-1.5, 2.5]).dtype")


@kata("ch03.identity_function")
class TestIdentityFunction:
    def test_returns_its_input(self):
        x = np.array([0.3, -2.9, 4.0])
        expect_equal(identity_function(x), np.array([0.3, -2.9, 4.0]), call="identity_function([0.3, -2.9, 4.0])")
        X = rng(1).standard_normal((2, 3))
        before = X.copy()
        expect_equal(identity_function(X), before, call="identity_function(X of shape (2, 3))",
                     note=("同じ値と形のまま、正規化はしません",
                           "the same values and shape, nothing normalised"))
        _unchanged(X, before, "identity_function(X)")


@kata("ch03.softmax")
class TestSoftmax:
    def test_known_values(self):
        expect_close(softmax(np.array([0.3, 2.9, 4.0])), np.array([0.01821127, 0.24519181, 0.73659691]),
                     call="softmax([0.3, 2.9, 4.0])", rtol=1e-6, atol=1e-9)

    def test_large_inputs_do_not_overflow(self):
        with np.errstate(all="ignore"):  # a naive softmax warns here; its nan is what the learner should see
            got = softmax(np.array([1010.0, 1000.0, 990.0]))
        expect_close(got, np.array([9.99954600e-01, 4.53978686e-05, 2.06106005e-09]),
                     call="softmax([1010.0, 1000.0, 990.0])", rtol=1e-7, atol=1e-17,
                     note=("exp(1010) はオーバーフローします: 先に最大値を引きましょう (§3.5.2)",
                           "exp(1010) overflows: subtract the maximum first (§3.5.2)"))

    def test_non_square_batch_normalises_each_row(self):
        x = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
        got = softmax(x)
        expect_close(got, np.array([[0.01821127, 0.24519181, 0.73659691], [1 / 3, 1 / 3, 1 / 3]]),
                     call="softmax([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])", rtol=1e-6, atol=1e-9,
                     note=("形は (2, 3): 各行が 1 サンプルで、行ごとに正規化します (§3.5.2 の 1 本のベクトル用の版は配列全体で和をとります。"
                           "バッチには本のコードも np.max と np.sum に axis=-1, keepdims=True を使います、§3.6.3)",
                           "shape (2, 3): each row is one sample, normalised on its own (§3.5.2's one-vector "
                           "version sums the whole array; for batches the book's code uses np.max and np.sum "
                           "with axis=-1, keepdims=True, §3.6.3)"))
        expect_close(np.sum(got, axis=-1), np.ones(2), call="softmax(x).sum(axis=1)",
        note=("どの行も和が 1",
              "every row sums to 1"))

    def test_square_batch_normalises_each_row(self):
        # Normalising the columns of a (3, 3) batch runs without an error and gives other numbers.
        x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0], [-1.0, 4.0, 2.0]])
        got = softmax(x)
        e = np.exp(x - x.max(axis=1, keepdims=True))
        expect_close(got, e / e.sum(axis=1, keepdims=True), call="softmax(x of shape (3, 3))",
                     note=("最後の軸 (各行) で正規化します。axis 0 ではありません",
                           "normalise over the last axis (each row), not over axis 0"))

    def test_batch_rows_far_apart(self):
        # One maximum for the whole batch would make the first row exp(-1006) = 0 -> 0/0.
        x = np.array([[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0]])
        with np.errstate(all="ignore"):
            got = softmax(x)
        expect_close(got, np.array([[0.01821127, 0.24519181, 0.73659691],
                                    [9.99954600e-01, 4.53978686e-05, 2.06106005e-09]]),
                     call="softmax([[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0]])", rtol=1e-6, atol=1e-17,
                     note=("各行の最大値をその行から引きます (axis=-1, keepdims=True)",
                           "subtract each row's own maximum (axis=-1, keepdims=True)"))

    def test_shift_invariant_and_input_unchanged(self):
        x = rng(2).standard_normal((2, 4))
        before = x.copy()
        got = softmax(x)
        _unchanged(x, before, "softmax(x)")
        expect_close(softmax(x + 100.0), got, call="softmax(x + 100)",
        note=("定数を足しても結果は変わりません",
              "adding a constant changes nothing"))
        v = x[0].copy()
        expect_close(softmax(v), np.asarray(got)[0], call="softmax(x[0])",
        note=("ベクトル 1 本 (K,) なら (K,) を返します",
              "a single vector (K,) gives (K,)"))



@kata("ch03.relu", hidden=True)
class TestReluAgain:
    def test_a_matrix(self):
        x = np.array([[-1.0, 0.0, 2.0], [3.0, -0.5, 0.0]])
        expect_close(relu(x), np.array([[0.0, 0.0, 2.0], [3.0, 0.0, 0.0]]), call="relu([[-1, 0, 2], [3, -0.5, 0]])")
