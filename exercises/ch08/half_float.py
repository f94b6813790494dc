# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 8 — fewer bits per number (§8.3.4): does a network still work in half precision?

Like the book's experiment, values are rounded to float16 and kept in their
original type: the arithmetic stays float64, only the stored precision is lost.
"""
from __future__ import annotations

import numpy as np


def to_float16(a: np.ndarray) -> np.ndarray:
    """a rounded to the nearest float16 value, returned in a's own dtype (a is not modified).

    float16 keeps 11 significant bits: 0.1 becomes 0.0999755859375, 2049 becomes 2048,
    and magnitudes below about 3e-8 become 0.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.to_float16 (§8.3.4): write to_float16")


def half_precision_accuracy(network, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
    """network.accuracy(x, t, batch_size) with its parameters and x rounded to float16 (§8.3.4).

    Every array of network.params is rounded in place (the layers hold the same
    arrays, so they must see the rounded values; the network stays rounded
    afterwards). x is rounded into a new array; the caller's x is not modified.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.half_precision_accuracy (§8.3.4): write half_precision_accuracy")
