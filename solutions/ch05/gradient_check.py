"""第 5 章 — 勾配確認: 誤差逆伝播法の勾配と数値微分の勾配を比べます (§5.7.3)。

Chapter 5 — gradient check: backpropagation against the numerical gradient (§5.7.3).
"""
from __future__ import annotations

import numpy as np


def gradient_check(network, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """network.gradient と network.numerical_gradient の、パラメータごとの相対誤差の最大値 (§5.7.3)。

    各キーについて、要素ごとの |a − n| / max(|a| + |n|, 1e-12) の最大値 (a は逆伝播、n は数値微分の
    勾配、どちらも同じ (x, t) で計算)。両方で 0 の要素は 0 と数えます (0 で割らない)。
    network.gradient のキーで {key: float} を返します。

    Max relative error per parameter between network.gradient and network.numerical_gradient (§5.7.3).

    For each key: max over elements of |a − n| / max(|a| + |n|, 1e-12), with a the
    backprop gradient and n the numerical one; both are computed on the same
    (x, t). Elements that are 0 in both count as 0 (no division by zero). Returns
    {key: float}, with the keys of network.gradient.
    """
    ### BEGIN SOLUTION
    grad_backprop = network.gradient(x, t)
    grad_numerical = network.numerical_gradient(x, t)
    errors = {}
    for key, a in grad_backprop.items():
        n = grad_numerical[key]
        rel = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-12)
        errors[key] = float(np.max(rel))
    return errors
    ### END SOLUTION
