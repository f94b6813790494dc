# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 2 — perceptrons: a weighted sum, a threshold, and the gates they make."""
from __future__ import annotations

import numpy as np


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> int:
    """One perceptron (§2.3.3): y = 0 if w·x + b <= 0 else 1.

    Convention: exactly 0 gives 0 (the book fires only when the sum is positive).
    Returns the Python int 0 or 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.perceptron (§2.3.3): write perceptron")


def AND(x1: int, x2: int) -> int:
    """AND gate as one perceptron (§2.3.3); any weights and bias that make it work."""
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): write AND")


def NAND(x1: int, x2: int) -> int:
    """NAND gate as one perceptron (§2.3.3): AND with every sign flipped works."""
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): write NAND")


def OR(x1: int, x2: int) -> int:
    """OR gate as one perceptron (§2.3.3)."""
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): write OR")


def XOR(x1: int, x2: int) -> int:
    """XOR as a two-layer perceptron (§2.5.2): AND of NAND(x1, x2) and OR(x1, x2).

    No single perceptron can do it (§2.4), so build it from the gates above.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.xor (§2.5.2): write XOR")


def fit_perceptron(X: np.ndarray, y: np.ndarray, lr: float = 0.1,
                   max_epochs: int = 100) -> tuple[np.ndarray, float, bool]:
    """Learn w and b with the perceptron rule; returns (w, b, converged).

    Start from w = 0, b = 0. For each sample in order, with the prediction
    p = perceptron(x, w, b): w += lr·(t − p)·x and b += lr·(t − p).
    converged is True once a whole epoch makes no mistake (stop there);
    False if max_epochs pass without one. X is never modified; w is float.

    本との違い: 本書の先の内容です: 本はパーセプトロンの重みを人が決め、学習則のコードはありません。ここでは重みを学習する規則 (パーセプトロンの学習則) を書きます。
    Differs from the book: Beyond the book: the book sets a perceptron's weights by hand
    and has no code for learning them. Here you write the perceptron learning rule.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.fit_perceptron (§2.4): write fit_perceptron")
