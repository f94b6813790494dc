# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 1 章 — 本の残りで使う NumPy の基本 (§1.5)。

Chapter 1 — the NumPy habits the rest of the book relies on (§1.5).
"""
from __future__ import annotations

import numpy as np


def elementwise_product(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """要素ごとの積 (§1.5.4): C[i, j] = A[i, j] · B[i, j]、A と B は同じ形。

    Element-wise product (§1.5.4): C[i, j] = A[i, j] · B[i, j], A and B of the same shape.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.products (§1.5.4): elementwise_product を書きましょう / write elementwise_product")


def matrix_product(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """行列の積 (§1.5.4, §3.3.2): C[i, k] = Σ_j A[i, j] · B[j, k]。

    A (N, D) と B (D, M) から (N, M)、ベクトル A (D,) なら (M,)。順番が大事: B·A ではなく A·B。

    Matrix product (§1.5.4, §3.3.2): C[i, k] = Σ_j A[i, j] · B[j, k].

    A (N, D) and B (D, M) give (N, M); a vector A (D,) gives (M,). Order matters:
    A·B, not B·A.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.products (§1.5.4): matrix_product を書きましょう / write matrix_product")


def scale_rows(X: np.ndarray, s: np.ndarray) -> np.ndarray:
    """ブロードキャスト (§1.5.5): out[i, j] = X[i, j] · s[i]。X (N, M) の行 i を s[i] 倍、s の形は (N,)。

    新しい配列を返し、X は変えません。

    Broadcasting (§1.5.5): out[i, j] = X[i, j] · s[i], row i of X (N, M) scaled by s[i], s of shape (N,).

    Returns a new array; X is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.scale_rows (§1.5.5): scale_rows を書きましょう / write scale_rows")


def normalize_rows(X: np.ndarray) -> np.ndarray:
    """各行をその行の和で割る (§1.5.5): out[i, j] = X[i, j] / Σ_k X[i, k]、X の形は (N, K)。

    結果のどの行も和が 1。新しい配列を返し、X は変えません。

    Each row divided by its own sum (§1.5.5): out[i, j] = X[i, j] / Σ_k X[i, k], X of shape (N, K).

    Every row of the result sums to 1. Returns a new array; X is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.normalize_rows (§1.5.5): normalize_rows を書きましょう / write normalize_rows")


def flatten_batch(X: np.ndarray) -> np.ndarray:
    """サンプルごとに 1 行 (§1.5.6): 形 (N, d1, d2, …) の X を (N, d1·d2·…) に。

    行 n にはサンプル n の値が X[n].flatten() と同じ行優先 (C) の順で並びます。
    結果は新しい配列: 書き込んでも X は変わりません。

    One row per sample (§1.5.6): X of shape (N, d1, d2, …) becomes (N, d1·d2·…).

    Row n holds sample n's values in row-major (C) order, as X[n].flatten() gives
    them. The result is a new array: writing into it never changes X.

    本との違い: 本の Affine は x.reshape(x.shape[0], -1) のビューをそのまま使います
    (書き込まないので問題ありません)。ここでは新しい配列を返します: 結果に書き込んでも X が変わらないことを、ビューとコピーの違いとして練習するためです。
    Differs from the book: The book's Affine keeps the view x.reshape(x.shape[0], -1)
    (it never writes into it, so that is fine). Here return a new array, so that writing
    into the result leaves X alone: practice for the difference between a view and a
    copy.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.flatten_batch (§1.5.6): flatten_batch を書きましょう / write flatten_batch")


def pick_per_row(Y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """各行から 1 要素 (§1.5.6): out[n] = Y[n, t[n]]、Y の形は (N, K)、t (N,) は整数の列番号。

    結果の形は (N,)。

    One element per row (§1.5.6): out[n] = Y[n, t[n]], Y of shape (N, K), t (N,) integer column indices.

    The result has shape (N,).
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.pick_per_row (§1.5.6): pick_per_row を書きましょう / write pick_per_row")


def elements_above(X: np.ndarray, threshold: float) -> np.ndarray:
    """ブール値による添字 (§1.5.6): X のうち threshold より真に大きい要素。

    X の形によらず、行優先 (C) の順の 1 次元配列。

    Boolean indexing (§1.5.6): the elements of X strictly greater than threshold.

    A 1-D array, in row-major (C) order, whatever the shape of X.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.boolean_mask (§1.5.6): elements_above を書きましょう / write elements_above")


def clip_below(X: np.ndarray, low: float) -> np.ndarray:
    """マスクを通して書き込む (§1.5.6): low 未満の要素を low に置き換えた X のコピー。

    X と同じ形。X そのものは変えません。

    Writing through a mask (§1.5.6): a copy of X where every element < low is replaced by low.

    Same shape as X; X itself is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.boolean_mask (§1.5.6): clip_below を書きましょう / write clip_below")
