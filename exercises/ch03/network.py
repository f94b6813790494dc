# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 3 — forward passes: the hand-built three-layer network (§3.4.3) and batched inference (§3.6)."""
from __future__ import annotations

import numpy as np

from ch03.activation import identity_function, sigmoid, softmax


def init_network() -> dict[str, np.ndarray]:
    """The three-layer network of §3.4.3 as a dict of float arrays 'W1', 'b1', 'W2', 'b2', 'W3', 'b3'.

    W1 = [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], b1 = [0.1, 0.2, 0.3];
    W2 = [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], b2 = [0.1, 0.2];
    W3 = [[0.1, 0.3], [0.2, 0.4]], b3 = [0.1, 0.2].
    Wk has shape (inputs, outputs); the biases are 1-D.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.init_network (§3.4.3): write init_network")


def forward(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Forward pass of §3.4.3: z1 = sigmoid(x·W1 + b1), z2 = sigmoid(z1·W2 + b2), y = identity(z2·W3 + b3).

    Use sigmoid and identity_function from ch03.activation. x is one sample (D,)
    or a batch (N, D); the output has shape (2,) or (N, 2) for the §3.4.3 network.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.forward (§3.4.3): write forward")


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Inference of §3.6.2–§3.6.3: y = softmax(sigmoid(sigmoid(x·W1 + b1)·W2 + b2)·W3 + b3).

    Use sigmoid and softmax from ch03.activation. x is a batch (N, D) and gives
    class probabilities (N, K), one row per sample; one sample (D,) gives (K,).
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.predict (§3.6.2): write predict")


def accuracy(network: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
    """Accuracy over a data set, batch by batch (§3.6.3): the fraction of samples with argmax predict == label.

    Call predict(network, x[i:i + batch_size]) for i = 0, batch_size, 2·batch_size, …;
    the last batch may be shorter, and every sample counts exactly once. t holds
    class indices (N,), as the book's get_data() gives them (the reference also takes
    one-hot rows). Returns a float in [0, 1].
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.accuracy (§3.6.3): write accuracy")
