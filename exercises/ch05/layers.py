# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 5 章 — 順伝播と逆伝播をもつレイヤ (§5.4–§5.6)。

どのレイヤも同じ書き方: forward(...) は backward に必要なものを保存し、
backward(dout) は forward の入力についての勾配を返します。

Chapter 5 — layers with forward and backward passes (§5.4–§5.6).

Every layer follows one idiom: forward(...) keeps what backward needs;
backward(dout) returns the gradient with respect to the forward inputs.
"""
from __future__ import annotations

import numpy as np

from ch03.activation import sigmoid, softmax  # sigmoid: for a Sigmoid layer written the book's way
from ch04.loss import cross_entropy_error


class MulLayer:
    """乗算ノード (§5.4.1): out = x·y。backward は (dout·y, dout·x)。

    x と y は数か同じ形の配列。各入力の勾配は dout に *もう一方の* 入力を掛けたものなので、
    forward で両方を保存します。

    Multiplication node (§5.4.1): out = x·y; backward gives (dout·y, dout·x).

    x and y are numbers or arrays of one shape; each input's gradient is dout
    times the *other* input, so forward keeps both.
    """

    def __init__(self) -> None:
        self.x = None
        self.y = None

    def forward(self, x, y):
        # YOUR CODE HERE
        raise NotImplementedError("ch05.mul_layer (§5.4.1): MulLayer.forward を書きましょう / write MulLayer.forward")

    def backward(self, dout):
        # YOUR CODE HERE
        raise NotImplementedError("ch05.mul_layer (§5.4.1): MulLayer.backward を書きましょう / write MulLayer.backward")


class AddLayer:
    """加算ノード (§5.4.2): out = x + y。backward は dout を両方の入力にそのまま渡します。

    Addition node (§5.4.2): out = x + y; backward passes dout to both inputs.
    """

    def __init__(self) -> None:
        pass

    def forward(self, x, y):
        # YOUR CODE HERE
        raise NotImplementedError("ch05.add_layer (§5.4.2): AddLayer.forward を書きましょう / write AddLayer.forward")

    def backward(self, dout):
        # YOUR CODE HERE
        raise NotImplementedError("ch05.add_layer (§5.4.2): AddLayer.backward を書きましょう / write AddLayer.backward")


class Relu:
    """ReLU レイヤ (§5.5.1): forward は max(0, x)、backward は x > 0 では dout、それ以外は 0。

    forward は mask (x <= 0) を保存し、backward はその mask だけを使うので、ちょうど x = 0 での
    勾配は 0。forward は呼び出し側の x を変えず、呼び出し側は forward のあと x や出力を使い回して
    かまいません。backward は本のように dout をその場で 0 にして返してもかまいません
    (ネットワークが backward に渡したものは、あとで使われません)。

    ReLU layer (§5.5.1): forward max(0, x); backward passes dout where x > 0, else 0.

    forward keeps the mask (x <= 0) and backward uses only that mask, so the
    gradient at exactly x = 0 is 0. forward never changes the caller's x, and the
    caller may reuse x or the output afterwards. backward may zero dout in place
    and return it, as the book does (what a network passes to backward is not reused).
    """

    def __init__(self) -> None:
        self.mask = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.relu_layer (§5.5.1): Relu.forward を書きましょう / write Relu.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.relu_layer (§5.5.1): Relu.backward を書きましょう / write Relu.backward")


class Sigmoid:
    """Sigmoid レイヤ (§5.5.2): forward は y = 1/(1 + exp(−x))、backward は dout·y·(1 − y)。

    backward は x ではなく保存した出力 y を使います (y·(1 − y) が微分)。
    どちらも呼び出し側の配列を変えません。第 3 章の sigmoid はこのモジュールで import 済みです。

    Sigmoid layer (§5.5.2): forward y = 1/(1 + exp(−x)); backward dout·y·(1 − y).

    backward uses the stored output y (y·(1 − y) is the derivative), not x.
    Neither pass changes the caller's array. sigmoid from chapter 3 is imported here.
    """

    def __init__(self) -> None:
        self.out = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.sigmoid_layer (§5.5.2): Sigmoid.forward を書きましょう / write Sigmoid.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.sigmoid_layer (§5.5.2): Sigmoid.backward を書きましょう / write Sigmoid.backward")


class Affine:
    """Affine レイヤ (§5.6.2): 形 (N, ...) のバッチ x に out = x·W + b。

    3 次元以上の入力は (N, −1) に平らにします。backward は dW = xᵀ·dout と db = Σ_n dout
    (バッチ方向の和) を保存し、x と同じ形の dx = dout·Wᵀ を返します。

    Affine layer (§5.6.2): out = x·W + b for a batch x of shape (N, ...).

    Input of more than two dimensions is flattened to (N, −1). backward stores
    dW = xᵀ·dout and db = Σ_n dout (summed over the batch), and returns
    dx = dout·Wᵀ in the shape x had.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.affine (§5.6.2): Affine.forward を書きましょう / write Affine.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.affine (§5.6.2): Affine.backward を書きましょう / write Affine.backward")


class SoftmaxWithLoss:
    """Softmax のあとに交差エントロピー (§5.6.3)。

    forward(x, t) は損失の平均を返します。t は one-hot (N, K) かクラス番号 (N,)。
    backward はバッチサイズ N で割った (y − t) / N を返し、dout は使いません。
    保存した softmax の出力 self.y は変えません。

    Softmax followed by cross-entropy (§5.6.3).

    forward(x, t) returns the mean loss; t is one-hot (N, K) or class indices (N,).
    backward returns (y − t) / N, divided by the batch size N, and ignores dout;
    it never changes the stored softmax output self.y.
    """

    def __init__(self) -> None:
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.softmax_with_loss (§5.6.3): SoftmaxWithLoss.forward を書きましょう / write SoftmaxWithLoss.forward")

    def backward(self, dout: float = 1) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch05.softmax_with_loss (§5.6.3): SoftmaxWithLoss.backward を書きましょう / write SoftmaxWithLoss.backward")
