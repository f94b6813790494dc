# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 4 章 — 数値微分の勾配で学習する 2 層ネットワーク (§4.5.1)。

Chapter 4 — a two-layer net trained with numerical gradients (§4.5.1).
"""
from __future__ import annotations

import numpy as np

from ch03.activation import sigmoid, softmax
from ch04.gradient import numerical_gradient
from ch04.loss import cross_entropy_error


class TwoLayerNet:
    """Affine → sigmoid → Affine → softmax、損失は交差エントロピー (§4.5.1)。

    params には 'W1' (input_size, hidden_size), 'b1' (hidden_size,), 'W2' (hidden_size, output_size),
    'b2' (output_size,)。重みは weight_init_std · (np.random.randn の標準正規乱数)、バイアスは 0。
    バッチは行: x の形は (N, input_size)。

    Affine → sigmoid → Affine → softmax, with cross-entropy loss (§4.5.1).

    params holds 'W1' (input_size, hidden_size), 'b1' (hidden_size,),
    'W2' (hidden_size, output_size) and 'b2' (output_size,). The weights are
    weight_init_std · (standard normal draws from np.random.randn), the biases zeros.
    Batches are rows: x has shape (N, input_size).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): TwoLayerNet.__init__ を書きましょう / write TwoLayerNet.__init__")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """y = softmax(sigmoid(x·W1 + b1)·W2 + b2): クラスの確率、形は (N, output_size)。

        y = softmax(sigmoid(x·W1 + b1)·W2 + b2): class probabilities, shape (N, output_size).
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): TwoLayerNet.predict を書きましょう / write TwoLayerNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """cross_entropy_error(predict(x), t) のバッチ平均。t は one-hot か番号。

        cross_entropy_error(predict(x), t), averaged over the batch; t one-hot or indices.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): TwoLayerNet.loss を書きましょう / write TwoLayerNet.loss")

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """最も確率の高いクラスがラベルと一致する行の割合 (§4.5.1)、[0, 1]。

        t は本がこのネットワークを学習させるときと同じく one-hot (形 (N, output_size)、§4.5.2)。
        模範解答はクラス番号 (形 (N,)) も受け付けますが、テストはそれを求めません。

        The fraction of rows whose most probable class is the label (§4.5.1), in [0, 1].

        t is one-hot, shape (N, output_size), as the book trains this net (§4.5.2);
        the reference also takes class indices, shape (N,), but the tests do not ask for it.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): TwoLayerNet.accuracy を書きましょう / write TwoLayerNet.accuracy")

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """params の各要素についての loss(x, t) の勾配を第 4 章の numerical_gradient で (§4.5.1)。

        params と同じキー・形の dict を返します。損失は params の配列そのものを読み、
        numerical_gradient がそれをその場で動かして元に戻します。

        The gradient of loss(x, t) for each of params, with ch04's numerical_gradient (§4.5.1).

        Returns a dict with the same keys and shapes as params. The loss reads the
        params arrays themselves, which numerical_gradient moves in place and puts back.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.two_layer_net (§4.5.1): TwoLayerNet.numerical_gradient を書きましょう / write TwoLayerNet.numerical_gradient")
