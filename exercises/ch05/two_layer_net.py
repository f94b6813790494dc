# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 5 — a two-layer network assembled from layers, trained by backpropagation (§5.7)."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ch04.gradient import numerical_gradient
from ch05.layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNet:
    """Affine → ReLU → Affine, with SoftmaxWithLoss on top (§5.7.2).

    params holds 'W1' (input, hidden), 'b1' (hidden,), 'W2' (hidden, output) and
    'b2' (output,): weights weight_init_std·randn, biases zero, all float64.
    layers is an OrderedDict 'Affine1', 'Relu1', 'Affine2' whose Affine layers hold
    the very arrays in params (not copies): an in-place update of params changes
    the network. lastLayer is a SoftmaxWithLoss. t may be one-hot (N, K) or class
    indices (N,) everywhere.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.__init__")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The raw scores (N, output): each layer's forward in order, no softmax."""
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy of softmax(predict(x)) against t, through lastLayer."""
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.loss")

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """The fraction of samples whose highest score is at the right class, a float."""
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss for each key of params by central differences (§4.4).

        Uses chapter 4's numerical_gradient on each params array in place: the
        perturbation reaches the layers because they share those arrays.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.numerical_gradient")

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by backpropagation (§5.7.2): keys and shapes as in params.

        A forward pass (the loss), then dout = 1 through lastLayer and the layers
        in reverse order; read dW and db from the Affine layers.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch05.two_layer_net (§5.7.2): write TwoLayerNet.gradient")
