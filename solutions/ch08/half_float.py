"""第 8 章 — 数を少ないビットで (§8.3.4): 半精度でもネットワークは動くか。

本の実験と同じく、値を float16 に丸めて元の型のまま保ちます: 計算は float64 のままで、
失われるのは保存の精度だけです。

Chapter 8 — fewer bits per number (§8.3.4): does a network still work in half precision?

Like the book's experiment, values are rounded to float16 and kept in their
original type: the arithmetic stays float64, only the stored precision is lost.
"""
from __future__ import annotations

import numpy as np


def to_float16(a: np.ndarray) -> np.ndarray:
    """a を最も近い float16 の値に丸め、a 自身の dtype で返します (a は変えません)。

    float16 の有効桁は 11 ビット: 0.1 は 0.0999755859375 に、2049 は 2048 に、約 3e-8 より
    小さい大きさは 0 になります。

    a rounded to the nearest float16 value, returned in a's own dtype (a is not modified).

    float16 keeps 11 significant bits: 0.1 becomes 0.0999755859375, 2049 becomes 2048,
    and magnitudes below about 3e-8 become 0.
    """
    ### BEGIN SOLUTION
    a = np.asarray(a)
    return a.astype(np.float16).astype(a.dtype)
    ### END SOLUTION


def half_precision_accuracy(network, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
    """パラメータと x を float16 に丸めた network.accuracy(x, t, batch_size) (§8.3.4)。

    network.params のすべての配列をその場で丸めます (レイヤが同じ配列を持つので丸めた値が届き、
    ネットワークは丸めたまま残ります)。x は新しい配列に丸め、呼び出し側の x は変えません。

    network.accuracy(x, t, batch_size) with its parameters and x rounded to float16 (§8.3.4).

    Every array of network.params is rounded in place (the layers hold the same
    arrays, so they must see the rounded values; the network stays rounded
    afterwards). x is rounded into a new array; the caller's x is not modified.
    """
    ### BEGIN SOLUTION
    for param in network.params.values():
        param[...] = to_float16(param)
    return network.accuracy(to_float16(x), t, batch_size=batch_size)
    ### END SOLUTION
