# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 4 章 — 数値微分と勾配降下法 (§4.3, §4.4)。

Chapter 4 — numerical differentiation and gradient descent (§4.3, §4.4).
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """中心差分 (§4.3.1): (f(x + h) − f(x − h)) / 2h、h = 1e-4。

    Central difference (§4.3.1): (f(x + h) − f(x − h)) / 2h with h = 1e-4.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.numerical_diff (§4.3.1): numerical_diff を書きましょう / write numerical_diff")


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """中心差分による x での f の勾配 (§4.4)、h = 1e-4、x はどんな形でも。

    x は本がいつも渡すとおり float の配列。x の要素を 1 つずつその場で動かし、正確に元に戻します:
    終わったあと x は変わりません (ネットワークはそれを前提にします、§4.4.2)。結果は x と同じ形。

    Gradient of f at x by central differences, h = 1e-4 (§4.4), for x of any shape.

    x is a float array, as wherever the book calls it. Perturbs one element of x at a
    time, in place, and puts it back exactly: x is unchanged afterwards (networks rely
    on that, §4.4.2). The result has x's shape.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.numerical_gradient (§4.4): numerical_gradient を書きましょう / write numerical_gradient")


def gradient_descent(f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01,
                     step_num: int = 100) -> np.ndarray:
    """勾配降下法 (§4.4.1): step_num 回 x ← x − lr · ∇f(x)。最後の x を返します。

    float のコピーで計算: 呼び出し側の init_x は変えません。

    Gradient descent (§4.4.1): step_num times, x ← x − lr · ∇f(x). Returns the final x.

    Works on a float copy: the caller's init_x is never modified.

    本との違い: 本の版は x = init_x として呼び出し側の配列をその場で動かし、整数の配列 np.array([-3, 4]) では止まります。ここでは
    float のコピーで計算します: 同じ開始点を学習率を変えて何度も使う (§4.4.1) ため、また整数の開始点でも動くようにするためです。
    Differs from the book: The book's version sets x = init_x, so it moves the caller's
    array, and it stops on an integer start such as np.array([-3, 4]). Here work on a
    float copy: the same start is reused for several learning rates (§4.4.1), and an
    integer start works too.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.gradient_descent (§4.4.1): gradient_descent を書きましょう / write gradient_descent")
