"""第 6 章 — 重みの初期値 (§6.2): W のスケールが活性化の分布をどう決めるか。

Chapter 6 — initial weight values (§6.2): how the scale of W shapes the activations.
"""
from __future__ import annotations

import numpy as np

from ch03.activation import relu, sigmoid

ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}


def init_scale(weight_init_std: float | str, n_in: int) -> float:
    """入力が n_in 個の層の重みの初期値の標準偏差 (§6.2.2, §6.2.3)。

    'relu' か 'he' なら He の sqrt(2 / n_in)、'sigmoid' か 'xavier' なら本の Xavier の sqrt(1 / n_in)。
    名前の大文字小文字は区別しません。数ならそのまま返します (例: 0.01)。他の名前は ValueError。

    Standard deviation of the initial weights of a layer with n_in inputs (§6.2.2, §6.2.3).

    'relu' or 'he' gives He's sqrt(2 / n_in); 'sigmoid' or 'xavier' gives the
    book's Xavier, sqrt(1 / n_in); names are case-insensitive. A number is
    returned as it is (e.g. 0.01). Any other name raises ValueError.
    """
    ### BEGIN SOLUTION
    if isinstance(weight_init_std, str):
        name = weight_init_std.lower()
        if name in ("relu", "he"):
            return float(np.sqrt(2.0 / n_in))
        if name in ("sigmoid", "xavier"):
            return float(np.sqrt(1.0 / n_in))
        raise ValueError(f"unknown weight_init_std {weight_init_std!r}")
    return float(weight_init_std)
    ### END SOLUTION


def activation_distribution(weight_init_std: float | str = 1.0, activation: str = "sigmoid",
                            hidden_layer_num: int = 5, node_num: int = 100,
                            sample_num: int = 1000, seed: int = 0) -> list[np.ndarray]:
    """§6.2.2 の実験: ランダムな入力に対する深いネットワークの各層の活性化。

    rng = np.random.default_rng(seed) で、まず入力 x = rng.standard_normal((sample_num, node_num)) を引き、
    そのあと hidden_layer_num 層それぞれで W = rng.standard_normal((node_num, node_num)) · scale
    (scale = init_scale(weight_init_std, node_num)) を引いて z = activation(x·W) (バイアスなし)。
    z が次の層の入力。activation は 'sigmoid', 'relu', 'tanh' (ACTIVATIONS)。各層の z
    (形はどれも (sample_num, node_num)) のリストを返します。

    The §6.2.2 experiment: the activations of each layer of a deep net on random input.

    With rng = np.random.default_rng(seed), draw the input first,
    x = rng.standard_normal((sample_num, node_num)); then for each of the
    hidden_layer_num layers draw W = rng.standard_normal((node_num, node_num)) · scale,
    where scale = init_scale(weight_init_std, node_num), and compute
    z = activation(x·W) (no bias); z is the next layer's input. activation is
    'sigmoid', 'relu' or 'tanh' (ACTIVATIONS). Returns the list of every layer's
    z, each of shape (sample_num, node_num).
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    act = ACTIVATIONS[activation]
    scale = init_scale(weight_init_std, node_num)
    x = rng.standard_normal((sample_num, node_num))
    activations = []
    for _ in range(hidden_layer_num):
        w = rng.standard_normal((node_num, node_num)) * scale
        x = act(np.dot(x, w))
        activations.append(x)
    return activations
    ### END SOLUTION
