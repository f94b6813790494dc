# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 3 章 — 活性化関数はなぜ非線形でなければならないか (§3.2.6)。

活性化関数が恒等関数なら、層を重ねても実は 1 つのアフィン写像です: x·W1 + b1、続けて ·W2 + b2、…
は、ある 1 つの W と b で x·W + b と書けます。何層にしても 1 層以上のことはできず、1 層では
XOR を分けられません (§2.4)。

Chapter 3 — why the activation must be non-linear (§3.2.6).

With the identity as the activation, a stack of layers is one affine map in
disguise: x·W1 + b1, then ·W2 + b2, … is x·W + b for one W and one b. Whatever
the depth, such a network can do no more than one layer, and one layer cannot
separate XOR (§2.4).
"""
from __future__ import annotations

import numpy as np


def collapse_linear(network: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """線形の層を重ねたものと同じ計算をする 1 層 (W, b) (§3.2.6)。

    network は 'W1', 'b1', 'W2', 'b2', … 'WL', 'bL' をもちます (init_network と同じ形、L ≥ 1)。
    層の間が恒等関数なら x·W1 + b1 → ·W2 + b2 → … は x·W + b に等しく、W = W1·W2·…·WL、
    b = (…(b1·W2 + b2)·W3 + …)·WL + bL です。

    The one layer (W, b) that a stack of linear layers amounts to (§3.2.6).

    network holds 'W1', 'b1', 'W2', 'b2', … 'WL', 'bL' (as init_network's, any
    L ≥ 1). With the identity between the layers, x·W1 + b1 → ·W2 + b2 → … equals
    x·W + b with W = W1·W2·…·WL and b = (…(b1·W2 + b2)·W3 + …)·WL + bL.

    本との違い: 本のコードにはない関数です: 活性化関数が非線形でなければならない理由 (§3.2.6)
    を、本は言葉で説明します。ここではそれを自分のコードで確かめます。
    Differs from the book: Not a function of the book's code: the book explains in words
    why the activation must be non-linear (§3.2.6). Here you check it with your own
    code.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.nonlinearity (§3.2.6): collapse_linear を書きましょう / write collapse_linear")


def fit_affine(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """データ (x, t) に最もよく合う 1 つのアフィン層: Σ (x·W + b − t)² を最小にする (W, b)。

    x は (N, D)、t は (N,) か (N, K)。W は (D,) か (D, K)、b は数か (K,)。x に 1 の列を
    足して (b のため) 最小二乗法 (np.linalg.lstsq)。collapse_linear により、線形の層を
    いくつ重ねてもこれ以上にはなりません。

    The best one affine layer for data (x, t): (W, b) minimising Σ (x·W + b − t)².

    x is (N, D) and t is (N,) or (N, K); W is (D,) or (D, K) and b a number or (K,).
    Least squares (np.linalg.lstsq) on x with a column of ones appended for b.
    By collapse_linear, it is also the best any stack of linear layers can do.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.nonlinearity (§3.2.6): fit_affine を書きましょう / write fit_affine")
