# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 7 — a simple convolutional network (§7.5).

conv → ReLU → max pool (2×2, stride 2) → affine → ReLU → affine → softmax-with-loss.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ch04.gradient import numerical_gradient as numerical_gradient_of
from ch05.layers import Affine, Relu, SoftmaxWithLoss
from ch07.layers import Convolution, Pooling
from ch07.util import conv_output_size


class SimpleConvNet:
    """A three-layer ConvNet (§7.5) for images of shape input_dim = (C, H, W).

    params: W1 (FN, C, FS, FS), b1 (FN,); W2 (FN·PH·PW, hidden_size), b2;
    W3 (hidden_size, output_size), b3; every W is weight_init_std · N(0, 1) drawn
    from rng (np.random.default_rng() when None), every b zeros. PH, PW are the
    conv output's height and width halved by the 2×2, stride-2 pooling (both
    must be even).
    layers (in order): 'Conv1', 'Relu1', 'Pool1', 'Affine1', 'Relu2', 'Affine2';
    last_layer is SoftmaxWithLoss. The layers hold the very arrays in params.

    本との違い: 本の SimpleConvNet は np.random.randn で重みを引き、パラメータを pickle で保存します。ここでは重みを rng
    から引き (同じ seed なら同じネットワーク)、.npz (np.savez、pickle なし) で保存します:
    テストが再現でき、読み込みでコードが実行されないようにするためです。
    Differs from the book: The book's SimpleConvNet draws its weights with
    np.random.randn and saves its parameters with pickle. Here the weights come from rng
    (one seed, one network) and the parameters go to an .npz file (np.savez, no pickle):
    tests can repeat a run, and loading never runs code.
    """

    def __init__(self, input_dim: tuple[int, int, int] = (1, 28, 28),
                 conv_param: dict = {'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                 hidden_size: int = 100, output_size: int = 10, weight_init_std: float = 0.01,
                 rng: np.random.Generator | None = None) -> None:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.__init__")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores (N, output_size) before the softmax: every layer's forward in order."""
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy of softmax(predict(x)) against t (indices or one-hot)."""
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.loss")

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
        """Fraction of the N samples whose largest score is the label, predicted batch_size at a time.

        Every sample counts, including a last batch smaller than batch_size;
        t holds indices or one-hot rows.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """dL/dparam for every key of params by central differences (chapter 4's numerical_gradient)."""
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.numerical_gradient")

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """dL/dparam for every key of params by backpropagation (§7.5)."""
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.gradient")

    def save_params(self, path: str | Path = "params.npz") -> None:
        """Write every array of params to an .npz file (np.savez; no pickle)."""
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.save_params")

    def load_params(self, path: str | Path = "params.npz") -> None:
        """Read params back from save_params' file (np.load with allow_pickle=False).

        The layers are rebound to the loaded arrays, so that predict uses them and
        an optimizer updating params updates the layers too.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): write SimpleConvNet.load_params")
