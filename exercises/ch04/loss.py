# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 4 — loss functions (§4.2)."""
from __future__ import annotations

import numpy as np


def sum_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """Sum of squared errors (§4.2.1): E = ½ Σ_k (y_k − t_k)²."""
    # YOUR CODE HERE
    raise NotImplementedError("ch04.sum_squared_error (§4.2.1): write sum_squared_error")


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Cross-entropy error, averaged over the batch (§4.2.2, §4.2.4).

    E = −(1/N) Σ_n log(y[n, t_n] + δ) with δ = 1e-7, so a zero probability gives
    −log(1e-7) ≈ 16.12 and not inf. t is either one-hot (same shape as y) or the
    class indices (shape (N,)). A single sample y of shape (K,) counts as N = 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.cross_entropy_error (§4.2.4): write cross_entropy_error")
