# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
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
    raise NotImplementedError("ch05.gradient_check (§5.7.3): gradient_check を書きましょう / write gradient_check")
