# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 1 — the NumPy habits the rest of the book relies on (§1.5)."""
from __future__ import annotations

import numpy as np


def elementwise_product(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Element-wise product (§1.5.4): C[i, j] = A[i, j] · B[i, j], A and B of the same shape."""
    # YOUR CODE HERE
    raise NotImplementedError("ch01.products (§1.5.4): write elementwise_product")


def matrix_product(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Matrix product (§1.5.4, §3.3.2): C[i, k] = Σ_j A[i, j] · B[j, k].

    A (N, D) and B (D, M) give (N, M); a vector A (D,) gives (M,). Order matters:
    A·B, not B·A.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.products (§1.5.4): write matrix_product")


def scale_rows(X: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Broadcasting (§1.5.5): out[i, j] = X[i, j] · s[i], row i of X (N, M) scaled by s[i], s of shape (N,).

    Returns a new array; X is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.scale_rows (§1.5.5): write scale_rows")


def normalize_rows(X: np.ndarray) -> np.ndarray:
    """Each row divided by its own sum (§1.5.5): out[i, j] = X[i, j] / Σ_k X[i, k], X of shape (N, K).

    Every row of the result sums to 1. Returns a new array; X is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.normalize_rows (§1.5.5): write normalize_rows")


def flatten_batch(X: np.ndarray) -> np.ndarray:
    """One row per sample (§1.5.6): X of shape (N, d1, d2, …) becomes (N, d1·d2·…).

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
    raise NotImplementedError("ch01.flatten_batch (§1.5.6): write flatten_batch")


def pick_per_row(Y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """One element per row (§1.5.6): out[n] = Y[n, t[n]], Y of shape (N, K), t (N,) integer column indices.

    The result has shape (N,).
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.pick_per_row (§1.5.6): write pick_per_row")


def elements_above(X: np.ndarray, threshold: float) -> np.ndarray:
    """Boolean indexing (§1.5.6): the elements of X strictly greater than threshold.

    A 1-D array, in row-major (C) order, whatever the shape of X.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.boolean_mask (§1.5.6): write elements_above")


def clip_below(X: np.ndarray, low: float) -> np.ndarray:
    """Writing through a mask (§1.5.6): a copy of X where every element < low is replaced by low.

    Same shape as X; X itself is not changed.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch01.boolean_mask (§1.5.6): write clip_below")
