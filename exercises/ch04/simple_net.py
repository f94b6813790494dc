# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 4 — a one-layer net whose weight gradient we take numerically (§4.4.2)."""
from __future__ import annotations

import numpy as np

from ch03.activation import softmax
from ch04.loss import cross_entropy_error


class simpleNet:
    """A single 2×3 weight matrix W, no bias, softmax and cross-entropy on top (§4.4.2).

    predict(x) = x·W (the scores, before softmax); loss(x, t) =
    cross_entropy_error(softmax(x·W), t). Both read self.W when called, so a
    numerical gradient that moves the entries of net.W in place sees the change.
    """

    def __init__(self) -> None:
        self.W = np.random.randn(2, 3)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The scores x·W: shape (3,) for one sample x of shape (2,), (N, 3) for a batch."""
        # YOUR CODE HERE
        raise NotImplementedError("ch04.simple_net (§4.4.2): write simpleNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """cross_entropy_error(softmax(predict(x)), t): one-hot or index labels, batch mean."""
        # YOUR CODE HERE
        raise NotImplementedError("ch04.simple_net (§4.4.2): write simpleNet.loss")
