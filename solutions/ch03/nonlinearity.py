"""Chapter 3 — why the activation must be non-linear (§3.2.6).

With the identity as the activation, a stack of layers is one affine map in
disguise: x·W1 + b1, then ·W2 + b2, … is x·W + b for one W and one b. Whatever
the depth, such a network can do no more than one layer, and one layer cannot
separate XOR (§2.4).
"""
from __future__ import annotations

import numpy as np


def collapse_linear(network: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The one layer (W, b) that a stack of linear layers amounts to (§3.2.6).

    network holds 'W1', 'b1', 'W2', 'b2', … 'WL', 'bL' (as init_network's, any
    L ≥ 1). With the identity between the layers, x·W1 + b1 → ·W2 + b2 → … equals
    x·W + b with W = W1·W2·…·WL and b = (…(b1·W2 + b2)·W3 + …)·WL + bL.
    """
    ### BEGIN SOLUTION
    W, b = network["W1"], network["b1"]
    i = 2
    while f"W{i}" in network:
        W = np.dot(W, network[f"W{i}"])
        b = np.dot(b, network[f"W{i}"]) + network[f"b{i}"]
        i += 1
    return W, b
    ### END SOLUTION


def fit_affine(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best one affine layer for data (x, t): (W, b) minimising Σ (x·W + b − t)².

    x is (N, D) and t is (N,) or (N, K); W is (D,) or (D, K) and b a number or (K,).
    Least squares (np.linalg.lstsq) on x with a column of ones appended for b.
    By collapse_linear, it is also the best any stack of linear layers can do.
    """
    ### BEGIN SOLUTION
    ones = np.ones((x.shape[0], 1))
    coef = np.linalg.lstsq(np.hstack([x, ones]), t, rcond=None)[0]
    return coef[:-1], coef[-1]
    ### END SOLUTION
