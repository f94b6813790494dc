# Given with the ch07 assignment (read-only): the reference solution of ch04/gradient.py,
# as `make test ch07` uses it. Your own earlier chapters are not needed here.
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
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """中心差分による x での f の勾配 (§4.4)、h = 1e-4、x はどんな形でも。

    x は本がいつも渡すとおり float の配列。x の要素を 1 つずつその場で動かし、正確に元に戻します:
    終わったあと x は変わりません (ネットワークはそれを前提にします、§4.4.2)。結果は x と同じ形。

    Gradient of f at x by central differences, h = 1e-4 (§4.4), for x of any shape.

    x is a float array, as wherever the book calls it. Perturbs one element of x at a
    time, in place, and puts it back exactly: x is unchanged afterwards (networks rely
    on that, §4.4.2). The result has x's shape.
    """
    h = 1e-4
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)  # an integer array cannot hold x + h
    grad = np.zeros(x.shape, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + h
        fxh1 = f(x)
        x[idx] = old - h
        fxh2 = f(x)
        x[idx] = old
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad


def gradient_descent(f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01,
                     step_num: int = 100) -> np.ndarray:
    """勾配降下法 (§4.4.1): step_num 回 x ← x − lr · ∇f(x)。最後の x を返します。

    float のコピーで計算: 呼び出し側の init_x は変えません。

    Gradient descent (§4.4.1): step_num times, x ← x − lr · ∇f(x). Returns the final x.

    Works on a float copy: the caller's init_x is never modified.
    """
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
    return x
