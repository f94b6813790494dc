# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 4 章 — 重みの勾配を数値微分で求める 1 層のネットワーク (§4.4.2)。

Chapter 4 — a one-layer net whose weight gradient we take numerically (§4.4.2).
"""
from __future__ import annotations

import numpy as np

from ch03.activation import softmax
from ch04.loss import cross_entropy_error


class simpleNet:
    """2×3 の重み行列 W が 1 つだけ (バイアスなし)、その上に softmax と交差エントロピー (§4.4.2)。

    predict(x) = x·W (softmax の前のスコア)、loss(x, t) = cross_entropy_error(softmax(x·W), t)。
    どちらも呼ばれた時点の self.W を読むので、net.W の要素をその場で動かす数値微分に変化が届きます。

    A single 2×3 weight matrix W, no bias, softmax and cross-entropy on top (§4.4.2).

    predict(x) = x·W (the scores, before softmax); loss(x, t) =
    cross_entropy_error(softmax(x·W), t). Both read self.W when called, so a
    numerical gradient that moves the entries of net.W in place sees the change.
    """

    def __init__(self) -> None:
        self.W = np.random.randn(2, 3)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """スコア x·W: 形 (2,) のサンプル 1 個なら (3,)、バッチなら (N, 3)。

        The scores x·W: shape (3,) for one sample x of shape (2,), (N, 3) for a batch.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.simple_net (§4.4.2): simpleNet.predict を書きましょう / write simpleNet.predict")

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """cross_entropy_error(softmax(predict(x)), t): one-hot でも番号のラベルでも、バッチ平均。

        cross_entropy_error(softmax(predict(x)), t): one-hot or index labels, batch mean.
        """
        # YOUR CODE HERE
        raise NotImplementedError("ch04.simple_net (§4.4.2): simpleNet.loss を書きましょう / write simpleNet.loss")
