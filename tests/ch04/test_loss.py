"""Tests for ch04/loss.py (§4.2), grouped by kata."""
import warnings

import numpy as np

from ch04.loss import cross_entropy_error, sum_squared_error
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, rng, say

# The book's example (§4.2.1): the network says "2" with probability 0.6.
Y_BOOK = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BOOK_7 = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
T_TWO = np.eye(10)[2]


def _softmax_rows(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@kata("ch04.sum_squared_error")
class TestSumSquaredError:
    def test_book_examples(self):
        expect_close(sum_squared_error(Y_BOOK, T_TWO), 0.0975,
                     call="sum_squared_error(y, t)  # y[2] = 0.6, t one-hot at 2 (§4.2.1)")
        expect_close(sum_squared_error(Y_BOOK_7, T_TWO), 0.5975,
                     call="sum_squared_error(y, t)  # y[7] = 0.6, t one-hot at 2 (§4.2.1)")

    def test_half_of_the_sum(self):
        y, t = np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0])
        expect_close(sum_squared_error(y, t), 4.5, call="sum_squared_error([1, 2, 3], [0, 0, 1])",
                     note=("½ · (1 + 4 + 4) = 4.5: 和を半分にします。平均ではありません",
                           "½ · (1 + 4 + 4) = 4.5: halve the sum, do not average it"))
        expect_close(sum_squared_error(t, t), 0.0, call="sum_squared_error(t, t)")

    def test_leaves_inputs_alone(self):
        y, t = Y_BOOK.copy(), T_TWO.copy()
        sum_squared_error(y, t)
        expect_unchanged(y, Y_BOOK, call="sum_squared_error(y, t)",
        note=("y を変えてはいけません",
              "y must not change"), name="y")
        expect_unchanged(t, T_TWO, call="sum_squared_error(y, t)",
        note=("t を変えてはいけません",
              "t must not change"), name="t")


@kata("ch04.cross_entropy_error")
class TestCrossEntropyError:
    def test_book_examples(self):
        expect_close(cross_entropy_error(Y_BOOK, T_TWO), 0.510825457099338,
                     call="cross_entropy_error(y, t)  # y[2] = 0.6, t one-hot at 2 (§4.2.2)")
        expect_close(cross_entropy_error(Y_BOOK_7, T_TWO), 2.302584092994546,
                     call="cross_entropy_error(y, t)  # y[2] = 0.1, t one-hot at 2 (§4.2.2)")

    def test_zero_probability_is_finite(self):
        y = np.array([0.5, 0.5, 0.0])
        t = np.array([0.0, 0.0, 1.0])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = cross_entropy_error(y, t)
        expect_close(got, -np.log(1e-7), call="cross_entropy_error([0.5, 0.5, 0.0], [0, 0, 1])",
                     note=("log の中に delta = 1e-7 を足します: -log(0 + 1e-7) ≈ 16.118 で inf にはなりません",
                           "add delta = 1e-7 inside the log: -log(0 + 1e-7) ≈ 16.118, not inf"))
        expect_true(not caught, call="cross_entropy_error([0.5, 0.5, 0.0], [0, 0, 1])",
                    note=("警告なし (log(0) は 'divide by zero' を警告します)",
                          "no warning (log(0) warns 'divide by zero')"),
                    actual=[str(w.message) for w in caught], expected=[])

    def test_batch_mean_one_hot(self):
        g = rng(1)
        y = _softmax_rows(g.normal(size=(4, 5)))
        labels = np.array([3, 0, 4, 3])
        t = np.eye(5)[labels]
        want = -np.mean(np.log(y[np.arange(4), labels] + 1e-7))
        expect_close(cross_entropy_error(y, t), want, call="cross_entropy_error(y, t)  # y (4, 5), t one-hot (4, 5)",
                     note=("各行の損失のバッチ平均", "the mean over the batch of each row's loss"))
        one = [cross_entropy_error(y[i], t[i]) for i in range(4)]
        expect_close(np.mean(one), want, call=say("各行 i の cross_entropy_error(y[i], t[i]) の平均", "cross_entropy_error(y[i], t[i]) for each row i, averaged"),
                     note=("サンプル 1 個 (1 次元の y と t) は大きさ 1 のバッチ",
                           "one sample (1-D y and t) is a batch of 1"))

    def test_index_labels_match_one_hot(self):
        g = rng(2)
        for n, k in ((3, 5), (3, 3), (2, 4)):  # (3, 3): N == K, where broadcasting hides mistakes
            y = _softmax_rows(g.normal(size=(n, k)))
            labels = g.integers(0, k, size=n)
            labels[0] = k - 1
            want = -np.mean(np.log(y[np.arange(n), labels] + 1e-7))
            expect_close(cross_entropy_error(y, labels), want,
                         call=f"cross_entropy_error(y, t)  # y ({n}, {k}), t = {labels.tolist()} (class indices)")
            expect_close(cross_entropy_error(y, np.eye(k)[labels]), want,
                         call=f"cross_entropy_error(y, np.eye({k})[{labels.tolist()}])  # the same labels, one-hot")

    def test_zero_in_a_batch_and_inputs_untouched(self):
        y = np.array([[0.0, 1.0], [0.5, 0.5]])
        t = np.array([0, 1])
        y0, t0 = y.copy(), t.copy()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = cross_entropy_error(y, t)
        expect_close(got, (-np.log(1e-7) - np.log(0.5 + 1e-7)) / 2,
                     call="cross_entropy_error([[0, 1], [0.5, 0.5]], [0, 1])")
        expect_true(not caught, call="cross_entropy_error([[0, 1], [0.5, 0.5]], [0, 1])",
                    note=("正しいコードなら警告は出ません",
                          "no warning from correct code"), actual=[str(w.message) for w in caught], expected=[])
        expect_unchanged(y, y0, call="cross_entropy_error(y, t)",
        note=("y を変えてはいけません",
              "y must not change"), name="y")
        expect_unchanged(t, t0, call="cross_entropy_error(y, t)",
        note=("t を変えてはいけません",
              "t must not change"), name="t")



@kata("ch04.sum_squared_error", hidden=True)
class TestSumSquaredErrorAgain:
    def test_three_classes(self):
        expect_close(sum_squared_error(np.array([0.1, 0.7, 0.2]), np.array([0.0, 1.0, 0.0])), 0.07,
                     call="sum_squared_error([0.1, 0.7, 0.2], [0, 1, 0])", note=("0.5 · (0.01 + 0.09 + 0.04) です", "0.5 · (0.01 + 0.09 + 0.04)"))
