# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 4 章 — 損失関数 (§4.2)。

Chapter 4 — loss functions (§4.2).
"""
from __future__ import annotations

import numpy as np


def sum_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """2 乗和誤差 (§4.2.1): E = ½ Σ_k (y_k − t_k)²。

    Sum of squared errors (§4.2.1): E = ½ Σ_k (y_k − t_k)².
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.sum_squared_error (§4.2.1): sum_squared_error を書きましょう / write sum_squared_error")


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """交差エントロピー誤差、バッチで平均 (§4.2.2, §4.2.4)。

    E = −(1/N) Σ_n log(y[n, t_n] + δ)、δ = 1e-7: 確率 0 でも inf ではなく −log(1e-7) ≈ 16.12。
    t は one-hot (y と同じ形) かクラス番号 (形 (N,))。形 (K,) のサンプル 1 個は N = 1。

    Cross-entropy error, averaged over the batch (§4.2.2, §4.2.4).

    E = −(1/N) Σ_n log(y[n, t_n] + δ) with δ = 1e-7, so a zero probability gives
    −log(1e-7) ≈ 16.12 and not inf. t is either one-hot (same shape as y) or the
    class indices (shape (N,)). A single sample y of shape (K,) counts as N = 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.cross_entropy_error (§4.2.4): cross_entropy_error を書きましょう / write cross_entropy_error")
