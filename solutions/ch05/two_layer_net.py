"""第 5 章 — レイヤを組み立てた 2 層ネットワーク、誤差逆伝播法で学習 (§5.7)。

Chapter 5 — a two-layer network assembled from layers, trained by backpropagation (§5.7).
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ch04.gradient import numerical_gradient
from ch05.layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNet:
    """Affine → ReLU → Affine、その上に SoftmaxWithLoss (§5.7.2)。

    params には 'W1' (input, hidden), 'b1' (hidden,), 'W2' (hidden, output), 'b2' (output,):
    重みは weight_init_std·randn、バイアスは 0、すべて float64。layers は 'Affine1', 'Relu1',
    'Affine2' の OrderedDict で、Affine レイヤは params の配列そのもの (コピーではなく) を持ちます:
    params をその場で更新すればネットワークが変わります。lastLayer は SoftmaxWithLoss。
    t はどこでも one-hot (N, K) かクラス番号 (N,)。

    Affine → ReLU → Affine, with SoftmaxWithLoss on top (§5.7.2).

    params holds 'W1' (input, hidden), 'b1' (hidden,), 'W2' (hidden, output) and
    'b2' (output,): weights weight_init_std·randn, biases zero, all float64.
    layers is an OrderedDict 'Affine1', 'Relu1', 'Affine2' whose Affine layers hold
    the very arrays in params (not copies): an in-place update of params changes
    the network. lastLayer is a SoftmaxWithLoss. t may be one-hot (N, K) or class
    indices (N,) everywhere.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        ### BEGIN SOLUTION
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()
        ### END SOLUTION

    def predict(self, x: np.ndarray) -> np.ndarray:
        """生のスコア (N, output): 各レイヤの forward を順に、softmax なし。

        The raw scores (N, output): each layer's forward in order, no softmax.
        """
        ### BEGIN SOLUTION
        for layer in self.layers.values():
            x = layer.forward(x)
        return x
        ### END SOLUTION

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """lastLayer を通した、softmax(predict(x)) と t の交差エントロピーの平均。

        Mean cross-entropy of softmax(predict(x)) against t, through lastLayer.
        """
        ### BEGIN SOLUTION
        return self.lastLayer.forward(self.predict(x), t)
        ### END SOLUTION

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """最大のスコアが正しいクラスにあるサンプルの割合 (float)。

        The fraction of samples whose highest score is at the right class, a float.
        """
        ### BEGIN SOLUTION
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t)) / x.shape[0]
        ### END SOLUTION

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各キーについての損失の勾配を中心差分で (§4.4)。

        第 4 章の numerical_gradient を params の各配列にその場で使います: レイヤがその配列を
        共有しているので、動かした値がレイヤに届きます。

        Gradient of the loss for each key of params by central differences (§4.4).

        Uses chapter 4's numerical_gradient on each params array in place: the
        perturbation reaches the layers because they share those arrays.
        """
        ### BEGIN SOLUTION
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 - W is perturbed in place
        return {key: numerical_gradient(loss_W, self.params[key]) for key in ("W1", "b1", "W2", "b2")}
        ### END SOLUTION

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """誤差逆伝播法による損失の勾配 (§5.7.2): キーと形は params と同じ。

        順伝播 (損失) のあと dout = 1 を lastLayer とレイヤに逆順に流し、dW と db を Affine レイヤから読みます。

        Gradient of the loss by backpropagation (§5.7.2): keys and shapes as in params.

        A forward pass (the loss), then dout = 1 through lastLayer and the layers
        in reverse order; read dW and db from the Affine layers.
        """
        ### BEGIN SOLUTION
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {
            "W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db,
        }
        ### END SOLUTION
