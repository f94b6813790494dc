"""第 3 章 — 活性化関数と出力層の関数。

Chapter 3 — activation functions and the output layer's functions.
"""
from __future__ import annotations

import numpy as np


def step_function(x: np.ndarray) -> np.ndarray:
    """ステップ関数 (§3.2.3)、要素ごと: x > 0 なら 1、そうでなければ 0 の int 配列。

    約束: step(0) = 0。どんな形でも動きます。

    Step function (§3.2.3), element-wise: 1 where x > 0, else 0, as an int array.

    Convention: step(0) = 0. Works on any shape.
    """
    ### BEGIN SOLUTION
    return np.array(np.asarray(x) > 0, dtype=int)
    ### END SOLUTION


def sigmoid(x: np.ndarray) -> np.ndarray:
    """シグモイド関数 (§3.2.4)、要素ごと: h(x) = 1 / (1 + exp(-x))。

    Sigmoid (§3.2.4), element-wise: h(x) = 1 / (1 + exp(-x)).
    """
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-x))
    ### END SOLUTION


def relu(x: np.ndarray) -> np.ndarray:
    """ReLU (§3.2.7)、要素ごと: max(0, x)。入力は変えません。

    ReLU (§3.2.7), element-wise: max(0, x). Never changes its input.
    """
    ### BEGIN SOLUTION
    return np.maximum(0, x)
    ### END SOLUTION


def identity_function(x: np.ndarray) -> np.ndarray:
    """恒等関数 (§3.5.1): 回帰の出力層は入力をそのまま返します。

    Identity (§3.5.1): the output layer for regression returns its input as it is.
    """
    ### BEGIN SOLUTION
    return x
    ### END SOLUTION


def softmax(x: np.ndarray) -> np.ndarray:
    """最後の軸についてのソフトマックス (§3.5.1–§3.5.3): y_k = exp(a_k) / Σ_i exp(a_i)。

    先に各行の最大値を引きます (§3.5.2): 結果は同じで exp がオーバーフローしません。
    ベクトル 1 本 (形 (K,)) でもバッチ (形 (N, K)) でも動き、行ごとに正規化します。

    Softmax over the last axis (§3.5.1–§3.5.3): y_k = exp(a_k) / Σ_i exp(a_i).

    Subtract the maximum of each row first (§3.5.2): the result is the same and
    exp no longer overflows. Works for one vector (shape (K,)) and for a batch
    (shape (N, K)), normalising each row.
    """
    ### BEGIN SOLUTION
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION
