# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 4 — numerical differentiation and gradient descent (§4.3, §4.4)."""
from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """Central difference (§4.3.1): (f(x + h) − f(x − h)) / 2h with h = 1e-4."""
    # YOUR CODE HERE
    raise NotImplementedError("ch04.numerical_diff (§4.3.1): write numerical_diff")


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of f at x by central differences, h = 1e-4 (§4.4), for x of any shape.

    Perturbs one element of x at a time, in place, and puts it back exactly: x is
    unchanged afterwards (networks rely on that, §4.4.2). The result has x's shape
    and is float even when x is an integer array.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.numerical_gradient (§4.4): write numerical_gradient")


def gradient_descent(f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01,
                     step_num: int = 100) -> np.ndarray:
    """Gradient descent (§4.4.1): step_num times, x ← x − lr · ∇f(x). Returns the final x.

    Works on a float copy: the caller's init_x is never modified.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.gradient_descent (§4.4.1): write gradient_descent")
