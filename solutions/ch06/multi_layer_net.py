"""第 6 章 — 任意の深さの全結合ネットワーク (§6.2.4, §6.3, §6.4)。

MultiLayerNet: 隠れ層ごとに Affine → 活性化、最後に Affine → SoftmaxWithLoss。重みの初期値の
スケール (§6.2) と Weight decay (§6.4.2) を選べます。MultiLayerNetExtend は Batch Normalization
(§6.3) と Dropout (§6.4.3) を加えます。

パラメータは self.params ('W1', 'b1', ...) にあり、Affine レイヤは同じ配列そのものを持つので、
params をその場で更新する optimizer がレイヤを学習させます。

Chapter 6 — a fully connected network of any depth (§6.2.4, §6.3, §6.4).

MultiLayerNet: Affine → activation, repeated for each hidden layer, then Affine →
SoftmaxWithLoss, with a choice of initial weight scale (§6.2) and weight decay
(§6.4.2). MultiLayerNetExtend adds Batch Normalization (§6.3) and Dropout (§6.4.3).

Parameters live in self.params ('W1', 'b1', ...); the Affine layers hold the very
same arrays, so an optimizer that updates params in place trains the layers.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ch04.gradient import numerical_gradient
from ch05.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from ch06.layers import BatchNormalization, Dropout
from ch06.weight_init import init_scale

ACTIVATION_LAYERS = {"sigmoid": Sigmoid, "relu": Relu}


class MultiLayerNet:
    """Weight decay つきの全結合ネットワーク (§6.4.2)。

    層 i (1 ≤ i ≤ L = len(hidden_size_list)) は Affine{i} → Activation_function{i}、そのあと
    Affine{L+1} と SoftmaxWithLoss。W{i} = init_scale(weight_init_std, n_prev) · randn(n_prev, n_i)、
    b{i} = 0。λ = weight_decay_lambda として loss = 交差エントロピー + 0.5·λ·Σ_i ΣW{i}²、
    W{i} の勾配は dW{i} + λ·W{i}。バイアスには減衰をかけません。

    __init__ は self.params、self.layers (順伝播の順のレイヤの OrderedDict、各 Affine は params の
    配列そのものを持つ)、self.last_layer (SoftmaxWithLoss) を用意します。重みは np.random.randn から。

    A fully connected net with weight decay (§6.4.2).

    Layer i (1 ≤ i ≤ L = len(hidden_size_list)) is Affine{i} → Activation_function{i};
    then Affine{L+1} and SoftmaxWithLoss. W{i} = init_scale(weight_init_std, n_prev)
    · randn(n_prev, n_i), b{i} = 0. With λ = weight_decay_lambda:
    loss = cross-entropy + 0.5·λ·Σ_i ΣW{i}², and the gradient of W{i} is
    dW{i} + λ·W{i}; biases are not decayed.

    __init__ fills self.params, self.layers (an OrderedDict of the layers in
    forward order, each Affine holding the params arrays themselves) and
    self.last_layer (the SoftmaxWithLoss). Weights come from np.random.randn.
    """

    def __init__(self, input_size: int, hidden_size_list: list[int], output_size: int,
                 activation: str = "relu", weight_init_std: float | str = "relu",
                 weight_decay_lambda: float = 0) -> None:
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(hidden_size_list)
        self.weight_decay_lambda = weight_decay_lambda
        self.params: dict[str, np.ndarray] = {}
        ### BEGIN SOLUTION
        sizes = [input_size, *self.hidden_size_list, output_size]
        for idx in range(1, len(sizes)):
            scale = init_scale(weight_init_std, sizes[idx - 1])
            self.params[f"W{idx}"] = scale * np.random.randn(sizes[idx - 1], sizes[idx])
            self.params[f"b{idx}"] = np.zeros(sizes[idx])

        self.layers = OrderedDict()
        for idx in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
            self.layers[f"Activation_function{idx}"] = ACTIVATION_LAYERS[activation]()
        idx = self.hidden_layer_num + 1
        self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
        self.last_layer = SoftmaxWithLoss()
        ### END SOLUTION

    def predict(self, x: np.ndarray) -> np.ndarray:
        """softmax の前のスコア、形は (N, output_size)。

        The scores before softmax, shape (N, output_size).
        """
        ### BEGIN SOLUTION
        for layer in self.layers.values():
            x = layer.forward(x)
        return x
        ### END SOLUTION

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """softmax(predict(x)) の交差エントロピー + すべての W についての 0.5·λ·ΣW² (バイアスは含めない)。

        Cross-entropy of softmax(predict(x)) plus 0.5·λ·ΣW² over every W (not the biases).
        """
        ### BEGIN SOLUTION
        y = self.predict(x)
        weight_decay = 0.0
        for idx in range(1, self.hidden_layer_num + 2):
            W = self.params[f"W{idx}"]
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(W ** 2)
        return self.last_layer.forward(y, t) + weight_decay
        ### END SOLUTION

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """最大のスコアがラベルと一致するサンプルの割合 (t は番号か one-hot)。

        The fraction of samples whose highest score is the label (t: indices or one-hot).
        """
        ### BEGIN SOLUTION
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t)) / float(x.shape[0])
        ### END SOLUTION

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """すべてのパラメータについての loss(x, t) の勾配を中心差分で (§4.4.2)。

        Gradient of loss(x, t) for every parameter by central differences (§4.4.2).
        """
        ### BEGIN SOLUTION
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 - params are perturbed in place
        return {key: numerical_gradient(loss_W, self.params[key]) for key in self.params}
        ### END SOLUTION

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """誤差逆伝播法による loss(x, t) の勾配: dW{i} + λ·W{i} と db{i}。

        Gradient of loss(x, t) by backpropagation: dW{i} + λ·W{i} and db{i}.
        """
        ### BEGIN SOLUTION
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)

        grads = {}
        for idx in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{idx}"]
            grads[f"W{idx}"] = affine.dW + self.weight_decay_lambda * self.params[f"W{idx}"]
            grads[f"b{idx}"] = affine.db
        return grads
        ### END SOLUTION


class MultiLayerNetExtend:
    """Batch Normalization (§6.3) と Dropout (§6.4.3) を選べる MultiLayerNet。

    隠れ層 i: Affine{i} → [BatchNorm{i}] → Activation_function{i} → [Dropout{i}]、そのあと
    Affine{L+1} と SoftmaxWithLoss。use_batchnorm なら params には隠れ層ごとに gamma{i} = 1 と
    beta{i} = 0 も入ります。train_flg は BatchNorm と Dropout のレイヤにだけ渡します。predict と
    loss の既定はテスト時 (train_flg=False)、gradient と numerical_gradient は学習時 (train_flg=True)。
    Weight decay は MultiLayerNet と同じ (W のみ)。dropout_ration は本の綴りです。
    self.params, self.layers, self.last_layer は MultiLayerNet と同じ。

    MultiLayerNet with optional Batch Normalization (§6.3) and Dropout (§6.4.3).

    Hidden layer i: Affine{i} → [BatchNorm{i}] → Activation_function{i} → [Dropout{i}];
    then Affine{L+1} and SoftmaxWithLoss. With use_batchnorm, params also hold
    gamma{i} = 1 and beta{i} = 0 for each hidden layer. train_flg reaches only the
    BatchNorm and Dropout layers; predict and loss default to testing
    (train_flg=False), while gradient and numerical_gradient train (train_flg=True).
    Weight decay as in MultiLayerNet (W only). dropout_ration is the book's spelling.
    self.params, self.layers and self.last_layer as in MultiLayerNet.
    """

    def __init__(self, input_size: int, hidden_size_list: list[int], output_size: int,
                 activation: str = "relu", weight_init_std: float | str = "relu",
                 weight_decay_lambda: float = 0, use_dropout: bool = False,
                 dropout_ration: float = 0.5, use_batchnorm: bool = False) -> None:
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(hidden_size_list)
        self.use_dropout = use_dropout
        self.weight_decay_lambda = weight_decay_lambda
        self.use_batchnorm = use_batchnorm
        self.params: dict[str, np.ndarray] = {}
        ### BEGIN SOLUTION
        sizes = [input_size, *self.hidden_size_list, output_size]
        for idx in range(1, len(sizes)):
            scale = init_scale(weight_init_std, sizes[idx - 1])
            self.params[f"W{idx}"] = scale * np.random.randn(sizes[idx - 1], sizes[idx])
            self.params[f"b{idx}"] = np.zeros(sizes[idx])

        self.layers = OrderedDict()
        for idx in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
            if self.use_batchnorm:
                self.params[f"gamma{idx}"] = np.ones(sizes[idx])
                self.params[f"beta{idx}"] = np.zeros(sizes[idx])
                self.layers[f"BatchNorm{idx}"] = BatchNormalization(self.params[f"gamma{idx}"],
                                                                     self.params[f"beta{idx}"])
            self.layers[f"Activation_function{idx}"] = ACTIVATION_LAYERS[activation]()
            if self.use_dropout:
                self.layers[f"Dropout{idx}"] = Dropout(dropout_ration)
        idx = self.hidden_layer_num + 1
        self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
        self.last_layer = SoftmaxWithLoss()
        ### END SOLUTION

    def predict(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """softmax の前のスコア。train_flg は BatchNorm と Dropout のレイヤにだけ渡します。

        The scores before softmax; train_flg goes to the BatchNorm and Dropout layers only.
        """
        ### BEGIN SOLUTION
        for key, layer in self.layers.items():
            if key.startswith(("Dropout", "BatchNorm")):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x
        ### END SOLUTION

    def loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool = False) -> float:
        """softmax(predict(x, train_flg)) の交差エントロピー + 0.5·λ·ΣW² (W のみ)。

        Cross-entropy of softmax(predict(x, train_flg)) plus 0.5·λ·ΣW² (W only).
        """
        ### BEGIN SOLUTION
        y = self.predict(x, train_flg)
        weight_decay = 0.0
        for idx in range(1, self.hidden_layer_num + 2):
            W = self.params[f"W{idx}"]
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(W ** 2)
        return self.last_layer.forward(y, t) + weight_decay
        ### END SOLUTION

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """テスト時の動作での predict(x) の認識精度 (t は番号か one-hot)。

        Accuracy of predict(x) in test mode (t: indices or one-hot).
        """
        ### BEGIN SOLUTION
        y = np.argmax(self.predict(x, train_flg=False), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t)) / float(x.shape[0])
        ### END SOLUTION

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """すべてのパラメータについての loss(x, t, train_flg=True) の勾配を中心差分で。

        Central-difference gradient of loss(x, t, train_flg=True) for every parameter.
        """
        ### BEGIN SOLUTION
        loss_W = lambda W: self.loss(x, t, train_flg=True)  # noqa: E731
        return {key: numerical_gradient(loss_W, self.params[key]) for key in self.params}
        ### END SOLUTION

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """学習時の順伝播を通した誤差逆伝播法の勾配。BN があれば gamma{i}, beta{i} も。

        Backpropagation through a training forward pass; also gamma{i}, beta{i} with BN.
        """
        ### BEGIN SOLUTION
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)

        grads = {}
        for idx in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{idx}"]
            grads[f"W{idx}"] = affine.dW + self.weight_decay_lambda * self.params[f"W{idx}"]
            grads[f"b{idx}"] = affine.db
            if self.use_batchnorm and idx != self.hidden_layer_num + 1:
                grads[f"gamma{idx}"] = self.layers[f"BatchNorm{idx}"].dgamma
                grads[f"beta{idx}"] = self.layers[f"BatchNorm{idx}"].dbeta
        return grads
        ### END SOLUTION
