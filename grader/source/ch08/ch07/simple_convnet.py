# Given with the ch08 assignment (read-only): the reference solution of ch07/simple_convnet.py,
# as `make test ch08` uses it. Your own earlier chapters are not needed here.
"""第 7 章 — 簡単な畳み込みニューラルネットワーク (§7.5)。

conv → ReLU → max pool (2×2, ストライド 2) → affine → ReLU → affine → softmax-with-loss。

Chapter 7 — a simple convolutional network (§7.5).

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
    """形 input_dim = (C, H, W) の画像のための 3 層の CNN (§7.5)。

    params: W1 (FN, C, FS, FS), b1 (FN,)、W2 (FN·PH·PW, hidden_size), b2、W3 (hidden_size, output_size), b3。
    W はどれも rng (None なら np.random.default_rng()) から引いた weight_init_std · N(0, 1)、b は 0。
    PH, PW は畳み込みの出力の高さと幅を 2×2・ストライド 2 のプーリングで半分にしたもの (どちらも偶数)。
    layers (この順): 'Conv1', 'Relu1', 'Pool1', 'Affine1', 'Relu2', 'Affine2'。last_layer は
    SoftmaxWithLoss。レイヤは params の配列そのものを持ちます。

    A three-layer ConvNet (§7.5) for images of shape input_dim = (C, H, W).

    params: W1 (FN, C, FS, FS), b1 (FN,); W2 (FN·PH·PW, hidden_size), b2;
    W3 (hidden_size, output_size), b3; every W is weight_init_std · N(0, 1) drawn
    from rng (np.random.default_rng() when None), every b zeros. PH, PW are the
    conv output's height and width halved by the 2×2, stride-2 pooling (both
    must be even).
    layers (in order): 'Conv1', 'Relu1', 'Pool1', 'Affine1', 'Relu2', 'Affine2';
    last_layer is SoftmaxWithLoss. The layers hold the very arrays in params.
    """

    def __init__(self, input_dim: tuple[int, int, int] = (1, 28, 28),
                 conv_param: dict = {'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                 hidden_size: int = 100, output_size: int = 10, weight_init_std: float = 0.01,
                 rng: np.random.Generator | None = None) -> None:
        rng = np.random.default_rng() if rng is None else rng
        filter_num = conv_param['filter_num']
        filter_size = conv_param['filter_size']
        pad = conv_param['pad']
        stride = conv_param['stride']
        channels, height, width = input_dim
        conv_h = conv_output_size(height, filter_size, stride, pad)
        conv_w = conv_output_size(width, filter_size, stride, pad)
        pool_output_size = filter_num * conv_output_size(conv_h, 2, 2) * conv_output_size(conv_w, 2, 2)

        self.params = {
            'W1': weight_init_std * rng.standard_normal((filter_num, channels, filter_size, filter_size)),
            'b1': np.zeros(filter_num),
            'W2': weight_init_std * rng.standard_normal((pool_output_size, hidden_size)),
            'b2': np.zeros(hidden_size),
            'W3': weight_init_std * rng.standard_normal((hidden_size, output_size)),
            'b3': np.zeros(output_size),
        }
        self.layers = {
            'Conv1': Convolution(self.params['W1'], self.params['b1'], stride, pad),
            'Relu1': Relu(),
            'Pool1': Pooling(pool_h=2, pool_w=2, stride=2),
            'Affine1': Affine(self.params['W2'], self.params['b2']),
            'Relu2': Relu(),
            'Affine2': Affine(self.params['W3'], self.params['b3']),
        }
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x: np.ndarray) -> np.ndarray:
        """softmax の前のスコア (N, output_size): 各レイヤの forward を順に。

        Scores (N, output_size) before the softmax: every layer's forward in order.
        """
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """softmax(predict(x)) と t (番号か one-hot) の交差エントロピーの平均。

        Mean cross-entropy of softmax(predict(x)) against t (indices or one-hot).
        """
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
        """最大のスコアがラベルと一致するサンプルの割合、一度に batch_size 個ずつ予測。

        batch_size より小さい最後のバッチも含めすべてのサンプルを数えます。t は番号か one-hot の行。

        Fraction of the N samples whose largest score is the label, predicted batch_size at a time.

        Every sample counts, including a last batch smaller than batch_size;
        t holds indices or one-hot rows.
        """
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        correct = 0
        for start in range(0, x.shape[0], batch_size):
            y = self.predict(x[start:start + batch_size])
            correct += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
        return correct / x.shape[0]

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各キーについての dL/dparam を中心差分で (第 4 章の numerical_gradient)。

        dL/dparam for every key of params by central differences (chapter 4's numerical_gradient).
        """
        loss_of = lambda _: self.loss(x, t)  # the layers see params changed in place
        return {key: numerical_gradient_of(loss_of, self.params[key]) for key in self.params}

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各キーについての dL/dparam を誤差逆伝播法で (§7.5)。

        dL/dparam for every key of params by backpropagation (§7.5).
        """
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        conv, affine1, affine2 = self.layers['Conv1'], self.layers['Affine1'], self.layers['Affine2']
        return {'W1': conv.dW, 'b1': conv.db, 'W2': affine1.dW, 'b2': affine1.db,
                'W3': affine2.dW, 'b3': affine2.db}

    def save_params(self, path: str | Path = "params.npz") -> None:
        """params のすべての配列を .npz ファイルに書き出します (np.savez、pickle は使わない)。

        Write every array of params to an .npz file (np.savez; no pickle).
        """
        np.savez(path, **self.params)

    def load_params(self, path: str | Path = "params.npz") -> None:
        """save_params のファイルから params を読み戻します (np.load, allow_pickle=False)。

        レイヤを読み込んだ配列に付け替えるので、predict がそれを使い、params を更新する optimizer が
        レイヤも更新します。

        Read params back from save_params' file (np.load with allow_pickle=False).

        The layers are rebound to the loaded arrays, so that predict uses them and
        an optimizer updating params updates the layers too.
        """
        with np.load(path, allow_pickle=False) as data:
            for key in self.params:
                self.params[key] = data[key]
        self.layers['Conv1'].W, self.layers['Conv1'].b = self.params['W1'], self.params['b1']
        self.layers['Affine1'].W, self.layers['Affine1'].b = self.params['W2'], self.params['b2']
        self.layers['Affine2'].W, self.layers['Affine2'].b = self.params['W3'], self.params['b3']
