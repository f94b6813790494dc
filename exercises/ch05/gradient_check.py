# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 5 — gradient check: backpropagation against the numerical gradient (§5.7.3)."""
from __future__ import annotations

import numpy as np


def gradient_check(network, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Max relative error per parameter between network.gradient and network.numerical_gradient (§5.7.3).

    For each key: max over elements of |a − n| / max(|a| + |n|, 1e-12), with a the
    backprop gradient and n the numerical one; both are computed on the same
    (x, t). Elements that are 0 in both count as 0 (no division by zero). Returns
    {key: float}, with the keys of network.gradient.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch05.gradient_check (§5.7.3): write gradient_check")
