# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
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
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.__init__ を書きましょう / write SimpleConvNet.__init__")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """softmax の前のスコア (N, output_size): 各レイヤの forward を順に。

        Scores (N, output_size) before the softmax: every layer's forward in order.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.predict を書きましょう / write SimpleConvNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """softmax(predict(x)) と t (番号か one-hot) の交差エントロピーの平均。

        Mean cross-entropy of softmax(predict(x)) against t (indices or one-hot).
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.loss を書きましょう / write SimpleConvNet.loss")

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
        """最大のスコアがラベルと一致するサンプルの割合、一度に batch_size 個ずつ予測。

        batch_size より小さい最後のバッチも含めすべてのサンプルを数えます。t は番号か one-hot の行。

        Fraction of the N samples whose largest score is the label, predicted batch_size at a time.

        Every sample counts, including a last batch smaller than batch_size;
        t holds indices or one-hot rows.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.accuracy を書きましょう / write SimpleConvNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各キーについての dL/dparam を中心差分で (第 4 章の numerical_gradient)。

        dL/dparam for every key of params by central differences (chapter 4's numerical_gradient).
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.numerical_gradient を書きましょう / write SimpleConvNet.numerical_gradient")

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各キーについての dL/dparam を誤差逆伝播法で (§7.5)。

        dL/dparam for every key of params by backpropagation (§7.5).
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.gradient を書きましょう / write SimpleConvNet.gradient")

    def save_params(self, path: str | Path = "params.npz") -> None:
        """params のすべての配列を .npz ファイルに書き出します (np.savez、pickle は使わない)。

        Write every array of params to an .npz file (np.savez; no pickle).
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.save_params を書きましょう / write SimpleConvNet.save_params")

    def load_params(self, path: str | Path = "params.npz") -> None:
        """save_params のファイルから params を読み戻します (np.load, allow_pickle=False)。

        レイヤを読み込んだ配列に付け替えるので、predict がそれを使い、params を更新する optimizer が
        レイヤも更新します。

        Read params back from save_params' file (np.load with allow_pickle=False).

        The layers are rebound to the loaded arrays, so that predict uses them and
        an optimizer updating params updates the layers too.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch07.simple_convnet (§7.5): SimpleConvNet.load_params を書きましょう / write SimpleConvNet.load_params")
