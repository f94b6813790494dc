# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 3 — activation functions and the output layer's functions."""
from __future__ import annotations

import numpy as np


def step_function(x: np.ndarray) -> np.ndarray:
    """Step function (§3.2.3), element-wise: 1 where x > 0, else 0, as an int array.

    Convention: step(0) = 0. Works on any shape.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.step_function (§3.2.3): write step_function")


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Sigmoid (§3.2.4), element-wise: h(x) = 1 / (1 + exp(-x))."""
    # YOUR CODE HERE
    raise NotImplementedError("ch03.sigmoid (§3.2.4): write sigmoid")


def relu(x: np.ndarray) -> np.ndarray:
    """ReLU (§3.2.7), element-wise: max(0, x). Never changes its input."""
    # YOUR CODE HERE
    raise NotImplementedError("ch03.relu (§3.2.7): write relu")


def identity_function(x: np.ndarray) -> np.ndarray:
    """Identity (§3.5.1): the output layer for regression returns its input as it is."""
    # YOUR CODE HERE
    raise NotImplementedError("ch03.identity_function (§3.5.1): write identity_function")


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis (§3.5.1–§3.5.3): y_k = exp(a_k) / Σ_i exp(a_i).

    Subtract the maximum of each row first (§3.5.2): the result is the same and
    exp no longer overflows. Works for one vector (shape (K,)) and for a batch
    (shape (N, K)), normalising each row.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.softmax (§3.5.2): write softmax")
