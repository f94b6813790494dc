# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 4 — a two-layer net trained with numerical gradients (§4.5.1)."""
from __future__ import annotations

import numpy as np

from ch03.activation import sigmoid, softmax
from ch04.gradient import numerical_gradient
from ch04.loss import cross_entropy_error


class TwoLayerNet:
    """Affine → sigmoid → Affine → softmax, with cross-entropy loss (§4.5.1).

    params holds 'W1' (input_size, hidden_size), 'b1' (hidden_size,),
    'W2' (hidden_size, output_size) and 'b2' (output_size,). The weights are
    weight_init_std · (standard normal draws from np.random.randn), the biases zeros.
    Batches are rows: x has shape (N, input_size).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): write TwoLayerNet.__init__")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """y = softmax(sigmoid(x·W1 + b1)·W2 + b2): class probabilities, shape (N, output_size)."""
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): write TwoLayerNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """cross_entropy_error(predict(x), t), averaged over the batch; t one-hot or indices."""
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): write TwoLayerNet.loss")

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """The fraction of rows whose most probable class is the label (§4.5.1), in [0, 1].

        t is one-hot, shape (N, output_size), as the book trains this net (§4.5.2);
        the reference also takes class indices, shape (N,), but the tests do not ask for it.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): write TwoLayerNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """The gradient of loss(x, t) for each of params, with ch04's numerical_gradient (§4.5.1).

        Returns a dict with the same keys and shapes as params. The loss reads the
        params arrays themselves, which numerical_gradient moves in place and puts back.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): write TwoLayerNet.numerical_gradient")
