# Given with the ch05 assignment (read-only): the reference solution of ch04/loss.py,
# as `make test ch05` uses it. Your own earlier chapters are not needed here.
"""第 4 章 — 損失関数 (§4.2)。

Chapter 4 — loss functions (§4.2).
"""
from __future__ import annotations

import numpy as np


def sum_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """2 乗和誤差 (§4.2.1): E = ½ Σ_k (y_k − t_k)²。

    Sum of squared errors (§4.2.1): E = ½ Σ_k (y_k − t_k)².
    """
    return 0.5 * np.sum((y - t) ** 2)


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """交差エントロピー誤差、バッチで平均 (§4.2.2, §4.2.4)。

    E = −(1/N) Σ_n log(y[n, t_n] + δ)、δ = 1e-7: 確率 0 でも inf ではなく −log(1e-7) ≈ 16.12。
    t は one-hot (y と同じ形) かクラス番号 (形 (N,))。形 (K,) のサンプル 1 個は N = 1。

    Cross-entropy error, averaged over the batch (§4.2.2, §4.2.4).

    E = −(1/N) Σ_n log(y[n, t_n] + δ) with δ = 1e-7, so a zero probability gives
    −log(1e-7) ≈ 16.12 and not inf. t is either one-hot (same shape as y) or the
    class indices (shape (N,)). A single sample y of shape (K,) counts as N = 1.
    """
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n
