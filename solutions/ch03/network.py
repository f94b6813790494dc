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
    ### BEGIN SOLUTION
    network = {}
    network["W1"] = np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])
    network["b1"] = np.array([0.1, 0.2, 0.3])
    network["W2"] = np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]])
    network["b2"] = np.array([0.1, 0.2])
    network["W3"] = np.array([[0.1, 0.3], [0.2, 0.4]])
    network["b3"] = np.array([0.1, 0.2])
    return network
    ### END SOLUTION


def forward(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Forward pass of §3.4.3: z1 = sigmoid(x·W1 + b1), z2 = sigmoid(z1·W2 + b2), y = identity(z2·W3 + b3).

    Use sigmoid and identity_function from ch03.activation. x is one sample (D,)
    or a batch (N, D); the output has shape (2,) or (N, 2) for the §3.4.3 network.
    """
    ### BEGIN SOLUTION
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    a1 = np.dot(x, W1) + b1
    z1 = sigmoid(a1)
    a2 = np.dot(z1, W2) + b2
    z2 = sigmoid(a2)
    a3 = np.dot(z2, W3) + b3
    return identity_function(a3)
    ### END SOLUTION


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Inference of §3.6.2–§3.6.3: y = softmax(sigmoid(sigmoid(x·W1 + b1)·W2 + b2)·W3 + b3).

    Use sigmoid and softmax from ch03.activation. x is a batch (N, D) and gives
    class probabilities (N, K), one row per sample; one sample (D,) gives (K,).
    """
    ### BEGIN SOLUTION
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    z1 = sigmoid(np.dot(x, W1) + b1)
    z2 = sigmoid(np.dot(z1, W2) + b2)
    return softmax(np.dot(z2, W3) + b3)
    ### END SOLUTION


def accuracy(network: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
    """Accuracy over a data set, batch by batch (§3.6.3): the fraction of samples with argmax predict == label.

    Call predict(network, x[i:i + batch_size]) for i = 0, batch_size, 2·batch_size, …;
    the last batch may be shorter, and every sample counts exactly once. t holds
    class indices (N,), as the book's get_data() gives them (the reference also takes
    one-hot rows). Returns a float in [0, 1].
    """
    ### BEGIN SOLUTION
    if t.ndim != 1:
        t = np.argmax(t, axis=1)
    correct = 0
    for i in range(0, len(x), batch_size):
        y = predict(network, x[i:i + batch_size])
        correct += int(np.sum(np.argmax(y, axis=1) == t[i:i + batch_size]))
    return correct / len(x)
    ### END SOLUTION
