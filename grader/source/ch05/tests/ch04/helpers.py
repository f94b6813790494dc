"""Trusted helpers for the chapter-4 training tests, shared with chapter 5's (not tests themselves)."""
from __future__ import annotations

import numpy as np

from dlkata.testing import rng


class TinyNet:
    """Softmax regression with the network interface train() uses; logs every gradient call."""

    def __init__(self, d, k, seed=0):
        g = rng(seed)
        self.params = {"W": 0.01 * g.normal(size=(d, k)), "b": np.zeros(k)}
        self.grad_calls = []  # (x_batch, t_batch, params before the update)

    @staticmethod
    def forward(params, x):
        a = x @ params["W"] + params["b"]
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    @classmethod
    def loss_of(cls, params, x, t):
        y = cls.forward(params, x)
        return float(-np.mean(np.log(y[np.arange(len(t)), t] + 1e-7)))

    @classmethod
    def accuracy_of(cls, params, x, t):
        return float(np.mean(np.argmax(cls.forward(params, x), axis=1) == t))

    def predict(self, x):
        return self.forward(self.params, x)

    def loss(self, x, t):
        return self.loss_of(self.params, x, t)

    def accuracy(self, x, t):
        return self.accuracy_of(self.params, x, t)

    @classmethod
    def gradient_of(cls, params, x, t):
        """The exact gradient of loss_of (softmax with cross-entropy: (y − t) / N)."""
        dy = cls.forward(params, x)
        dy[np.arange(len(t)), t] -= 1
        dy /= len(t)
        return {"W": x.T @ dy, "b": dy.sum(axis=0)}

    def numerical_gradient(self, x, t):
        self.grad_calls.append((np.array(x), np.array(t), {k: v.copy() for k, v in self.params.items()}))
        return self.gradient_of(self.params, x, t)


def blobs(n, seed, noise=0.6):
    """n points in 4-D around three noisy centres; labels 0, 1, 2."""
    g = rng(seed)
    centres = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, -1.0], [0.0, 0.0, 1.0, 0.0]])
    t = g.integers(0, 3, size=n)
    return centres[t] + noise * g.normal(size=(n, 4)), t
