"""Tests for ch01/numpy_basics.py (§1.5), grouped by kata."""
import numpy as np

from ch01.numpy_basics import (clip_below, elementwise_product, elements_above, flatten_batch,
                               matrix_product, normalize_rows, pick_per_row, scale_rows)
from dlkata.testing import expect_close, expect_equal, expect_true, kata, rng

# Square on purpose: A * B, A @ B and B @ A are all different and none raises.
A = np.array([[1.0, 2.0], [3.0, 4.0]])
B = np.array([[5.0, 6.0], [7.0, 8.0]])


def _unchanged(X, before, call):
    expect_equal(X, before, call=call,
    note=("入力の配列を変えてはいけません",
          "the input array must not change"))


@kata("ch01.products")
class TestProducts:
    def test_elementwise_multiplies_matching_entries(self):
        expect_equal(elementwise_product(A, B), np.array([[5.0, 12.0], [21.0, 32.0]]),
                     call="elementwise_product([[1, 2], [3, 4]], [[5, 6], [7, 8]])",
                     note=("要素ごとの積 (*) で、行列の積 (@) ではありません",
                           "entry by entry (*), not the matrix product (@)"))
        X = np.arange(6.0).reshape(2, 3)
        Y = np.array([[1.0, -1.0, 2.0], [0.5, 3.0, -2.0]])
        expect_equal(elementwise_product(X, Y), np.array([[0.0, -1.0, 4.0], [1.5, 12.0, -10.0]]),
                     call="elementwise_product(X (2, 3), Y (2, 3))")

    def test_matrix_product_of_square_matrices(self):
        expect_equal(matrix_product(A, B), np.array([[19.0, 22.0], [43.0, 50.0]]),
                     call="matrix_product([[1, 2], [3, 4]], [[5, 6], [7, 8]])",
                     note=("A の行と B の列の積 (np.dot か @)。A * B でも B @ A でもありません",
                           "rows of A times columns of B (np.dot or @), not A * B, not B @ A"))

    def test_matrix_product_shapes(self):
        g = rng(1)
        X, W = g.standard_normal((2, 3)), g.standard_normal((3, 4))
        expect_close(matrix_product(X, W), X @ W, call="matrix_product(X (2, 3), W (3, 4))",
                     note=("(2, 3)·(3, 4) は (2, 4) になります", "(2, 3)·(3, 4) gives (2, 4)"))
        x = np.array([1.0, 0.5])
        W = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
        expect_close(matrix_product(x, W), np.array([2.0, 5.0, 8.0]),
                     call="matrix_product([1.0, 0.5], [[1, 3, 5], [2, 4, 6]])",
                     note=("ベクトル (2,) と (2, 3) の積は (3,) になります",
                           "a vector (2,) times (2, 3) gives (3,)"))


@kata("ch01.scale_rows")
class TestScaleRows:
    def test_square_matrix_scales_rows_not_columns(self):
        X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
        s = np.array([10.0, 0.0, -1.0])
        expect_equal(scale_rows(X, s), np.array([[10.0, 20.0, 30.0], [0.0, 0.0, 0.0], [-7.0, -8.0, -9.0]]),
                     call="scale_rows([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [10, 0, -1])",
                     note=("行 i に s[i] を掛けます (X * s だと列 j に s[j] が掛かります: s を列にしましょう)",
                           "row i times s[i] (X * s would multiply column j by s[j]: s must be a column)"))

    def test_more_columns_than_rows(self):
        X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        before = X.copy()
        got = scale_rows(X, np.array([2.0, 0.5]))
        expect_equal(got, np.array([[2.0, 4.0, 6.0], [2.0, 2.5, 3.0]]),
                     call="scale_rows([[1, 2, 3], [4, 5, 6]], [2, 0.5])",
                     note=("形は (2, 3)、行 i に s[i] を掛けます",
                           "shape (2, 3), row i times s[i]"))
        _unchanged(X, before, "scale_rows(X, s)")


@kata("ch01.normalize_rows")
class TestNormalizeRows:
    def test_non_square_batch(self):
        X = np.array([[1.0, 1.0, 2.0], [3.0, 0.0, 1.0]])
        before = X.copy()
        expect_close(normalize_rows(X), np.array([[0.25, 0.25, 0.5], [0.75, 0.0, 0.25]]),
                     call="normalize_rows([[1, 1, 2], [3, 0, 1]])",
                     note=("axis=1 で和をとり、列のまま残します (keepdims=True)",
                           "sum over axis=1 and keep it as a column (keepdims=True)"))
        _unchanged(X, before, "normalize_rows(X)")

    def test_square_batch_is_normalised_per_row(self):
        # Dividing by column sums, by the row sums without keepdims or by the grand
        # total would all run without an error here and give other numbers.
        X = np.array([[1.0, 2.0, 1.0], [1.0, 1.0, 8.0], [5.0, 3.0, 2.0]])
        got = normalize_rows(X)
        expect_close(got, np.array([[0.25, 0.5, 0.25], [0.1, 0.1, 0.8], [0.5, 0.3, 0.2]]),
                     call="normalize_rows([[1, 2, 1], [1, 1, 8], [5, 3, 2]])")
        expect_close(np.sum(got, axis=1), np.ones(3), call="normalize_rows(X).sum(axis=1)",
                     note=("どの行も和が 1 になるはずです", "every row must sum to 1"))

    def test_one_row(self):
        expect_close(normalize_rows(np.array([[2.0, 6.0]])), np.array([[0.25, 0.75]]),
                     call="normalize_rows([[2, 6]])",
                     note=("形 (1, 2) は (1, 2) のままです",
                           "shape (1, 2) stays (1, 2)"))


@kata("ch01.flatten_batch")
class TestFlattenBatch:
    def test_images_become_rows(self):
        X = np.arange(24.0).reshape(2, 3, 4)
        got = flatten_batch(X)
        expect_equal(got, np.arange(24.0).reshape(2, 12), call="flatten_batch(np.arange(24.0).reshape(2, 3, 4))",
                     note=("形は (2, 12): サンプルごとに 1 行、各サンプルの値は順番どおり",
                           "shape (2, 12): one row per sample, each sample's values in order"))

    def test_any_number_of_axes(self):
        X = rng(3).standard_normal((3, 1, 2, 2))
        expect_equal(flatten_batch(X), np.stack([x.flatten() for x in X]),
                     call="flatten_batch(X of shape (3, 1, 2, 2))", note=("形は (3, 4)", "shape (3, 4)"))
        Y = rng(4).standard_normal((1, 2, 3))
        expect_equal(flatten_batch(Y), Y.flatten()[np.newaxis, :], call="flatten_batch(X of shape (1, 2, 3))",
                     note=("サンプル 1 個のバッチは形 (1, 6) で、(6,) ではありません",
                           "a batch of one sample gives shape (1, 6), not (6,)"))
        Z = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        expect_equal(flatten_batch(Z), Z, call="flatten_batch([[1, 2], [3, 4], [5, 6]])",
                     note=("(N, D) の配列はもう平らです", "an (N, D) array is already flat"))

    def test_result_is_a_copy(self):
        X = np.arange(12.0).reshape(2, 2, 3)
        before = X.copy()
        got = flatten_batch(X)
        expect_true(not np.shares_memory(got, X), call="flatten_batch(X)",
                    note=("reshape は X とメモリを共有するビューを返します: コピーを返しましょう",
                          "reshape gives a view that shares X's memory: return a copy"))
        if isinstance(got, np.ndarray) and got.size:
            got[...] = -1.0
        _unchanged(X, before, "out = flatten_batch(X); out[...] = -1")


@kata("ch01.pick_per_row")
class TestPickPerRow:
    def test_one_element_per_row(self):
        Y = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
        t = np.array([3, 0, 2])
        expect_equal(pick_per_row(Y, t), np.array([0.4, 0.5, 1.1]), call="pick_per_row(Y (3, 4), [3, 0, 2])",
                     note=("各行 n の Y[n, t[n]]: 形は (3,)。Y[:, t] だと列ごと取り出してしまいます",
                           "Y[n, t[n]] for each row n: shape (3,). Y[:, t] picks whole columns"))

    def test_square(self):
        Y = np.array([[1.0, 2.0], [3.0, 4.0]])
        expect_equal(pick_per_row(Y, np.array([1, 1])), np.array([2.0, 4.0]), call="pick_per_row([[1, 2], [3, 4]], [1, 1])")
        expect_equal(pick_per_row(Y, np.array([1, 0])), np.array([2.0, 3.0]), call="pick_per_row([[1, 2], [3, 4]], [1, 0])")


@kata("ch01.boolean_mask")
class TestBooleanMask:
    def test_elements_above(self):
        X = np.array([[51.0, 55.0], [14.0, 19.0], [0.0, 4.0]])
        got = elements_above(X, 15)
        expect_equal(got, np.array([51.0, 55.0, 19.0]), call="elements_above([[51, 55], [14, 19], [0, 4]], 15)",
                     note=("選ばれた要素の 1 次元配列 (行優先の順)",
                           "a 1-D array of the selected elements, in row-major order"))

    def test_strictly_greater(self):
        X = np.array([[1.0, 2.0, 3.0], [2.0, 5.0, -1.0]])
        before = X.copy()
        expect_equal(elements_above(X, 2.0), np.array([3.0, 5.0]), call="elements_above([[1, 2, 3], [2, 5, -1]], 2.0)",
                     note=("しきい値と等しい要素は選びません (>= ではなく >)",
                           "elements equal to the threshold are not selected (>, not >=)"))
        expect_equal(elements_above(X, 10.0), np.array([]), call="elements_above(X, 10.0)",
                     note=("上回る要素がなければ空の 1 次元配列", "nothing above: an empty 1-D array"))
        _unchanged(X, before, "elements_above(X, 2.0)")

    def test_clip_below_leaves_the_input_alone(self):
        X = np.array([[-2.0, 0.5, 3.0], [1.0, -0.1, 0.0]])
        before = X.copy()
        got = clip_below(X, 0.0)
        expect_equal(got, np.array([[0.0, 0.5, 3.0], [1.0, 0.0, 0.0]]), call="clip_below(X, 0.0)",
                     note=("X と同じ形で、0 未満の要素を 0 に置き換えたもの",
                           "same shape as X, elements below 0 replaced by 0"))
        _unchanged(X, before, "clip_below(X, 0.0)")
        expect_true(not np.shares_memory(got, X), call="clip_below(X, 0.0)",
                    note=("X[X < low] = low は X そのものを書き換えます: コピーで計算しましょう",
                          "X[X < low] = low writes into X itself: work on a copy"))

    def test_clip_below_other_bound(self):
        X = np.array([1.0, 2.0, 3.0, 4.0])
        expect_equal(clip_below(X, 2.5), np.array([2.5, 2.5, 3.0, 4.0]), call="clip_below([1, 2, 3, 4], 2.5)")
        expect_equal(clip_below(X, 2.0), np.array([2.0, 2.0, 3.0, 4.0]), call="clip_below([1, 2, 3, 4], 2.0)")



@kata("ch01.scale_rows", hidden=True)
class TestScaleRowsAgain:
    def test_one_row_and_a_negative_factor(self):
        expect_equal(scale_rows(np.array([[1.0, -2.0, 0.5, 4.0]]), np.array([-2.0])),
                     np.array([[-2.0, 4.0, -1.0, -8.0]]), call="scale_rows([[1, -2, 0.5, 4]], [-2])")
