"""Trusted helpers for the chapter-5 network tests (not a test module)."""
from __future__ import annotations

import numpy as np

from dlkata.testing import rng

SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}  # input 4, hidden 5, output 3

# Seed of small_case(): a batch whose ReLU inputs all sit at least 0.1 from the kink,
# with two hidden units dead for the whole batch (their gradients are exactly 0) and
# every other gradient element above 1e-3 in size. Backprop and central differences
# then agree to about 2e-7 (the floor comes from the 1e-7 inside cross-entropy's log).
CASE_SEED = 166


def small_case(seed: int = CASE_SEED):
    """(params, x, t_idx, t_onehot): float64 parameters for TwoLayerNet(4, 5, 3) and a batch of N = 3."""
    r = rng(seed)
    params = {k: r.normal(size=s) * (1.0 if k[0] == "W" else 0.5) for k, s in SHAPES.items()}
    x = r.normal(size=(3, 4))
    t_idx = r.integers(0, 3, size=3)
    return params, x, t_idx, np.eye(3)[t_idx]


def kink_margin(params, x) -> float:
    """Smallest |pre-activation| of the hidden layer: a step of h must not cross 0."""
    return float(np.min(np.abs(x @ params["W1"] + params["b1"])))


def set_params(net, params) -> None:
    """Write values into net.params in place (the arrays the layers hold)."""
    for k, v in params.items():
        net.params[k][...] = v


def scores(params, x):
    """Affine → ReLU → Affine, written out."""
    h = np.maximum(0, x @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def mean_cross_entropy(s, t_idx):
    """Mean −log(softmax(s)[t] + 1e-7), the book's loss."""
    e = np.exp(s - s.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(y[np.arange(len(t_idx)), t_idx] + 1e-7)))
