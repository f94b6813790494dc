# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
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

    本との違い: 本の __init_weight は知らない名前 (例えば 'tanh') を数として扱おうとし、あとで掛け算のときに止まります。ここでは
    ValueError を出します: 綴りの誤りがその場で分かり、黙って別の初期値にならないようにするためです。
    Differs from the book: The book's __init_weight takes an unknown name (say 'tanh')
    as if it were a number, and fails later when it multiplies. Here raise ValueError: a
    misspelt name is reported where it happens and never silently becomes another scale.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.init_scale (§6.2.2): init_scale を書きましょう / write init_scale")


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

    本との違い: 本のスクリプト (weight_init_activation_histogram.py) は np.random.randn
    を使い、毎回違う結果になります。ここでは seed から作った rng で、決まった順序 (入力、次に各層の W) で引きます:
    テストが値を比べられるようにするためです。
    Differs from the book: The book's script (weight_init_activation_histogram.py) draws
    with np.random.randn, so every run differs. Here draw from an rng made from seed, in
    a fixed order (the input, then each layer's W), so that the tests can compare
    values.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.activation_distribution (§6.2.2): activation_distribution を書きましょう / write activation_distribution")
