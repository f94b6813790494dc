# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 5 — gradient check: backpropagation against the numerical gradient (§5.7.3)."""
from __future__ import annotations

import numpy as np


def gradient_check(network, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Max relative error per parameter between network.gradient and network.numerical_gradient (§5.7.3).

    For each key: max over elements of |a − n| / max(|a| + |n|, 1e-12), with a the
    backprop gradient and n the numerical one; both are computed on the same
    (x, t). Elements that are 0 in both count as 0 (no division by zero). Returns
    {key: float}, with the keys of network.gradient.

    本との違い: 本のスクリプトは各パラメータについて差の絶対値の平均 (np.average(np.abs(…)))
    を表示するだけです。ここではキーごとの最大相対誤差を返します: 平均では 1 つの誤った要素が薄まり、絶対的な差は勾配の大きさで意味が変わるため、合否のしきい値
    (1e-6) には最大相対誤差が向いています。
    Differs from the book: The book's script prints the mean absolute difference
    (np.average(np.abs(…))) for each parameter. Here return the maximum relative error
    per key: a mean averages one wrong element away and an absolute difference depends
    on the gradient's size, so a pass/fail threshold (1e-6) needs the max relative
    error.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch05.gradient_check (§5.7.3): write gradient_check")
