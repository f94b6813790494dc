# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 7 章 — 畳み込み層とプーリング層 (§7.4.3, §7.4.4)、NCHW。

第 5 章と同じ書き方: forward(x) は backward に必要なものを保存し、backward(dout) は
パラメータの勾配を保存して dL/dx を返します。

Chapter 7 — the convolution and pooling layers (§7.4.3, §7.4.4), NCHW.

The same idiom as chapter 5: forward(x) keeps what backward needs;
backward(dout) stores the parameter gradients and returns dL/dx.
"""
from __future__ import annotations

import numpy as np

from ch07.util import col2im, conv_output_size, im2col


class Convolution:
    """畳み込み層 (§7.4.3): out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f] (相互相関)。

    W の形は (FN, C, FH, FW)、b は (FN,)、出力は (N, FN, OH, OW)。forward は
    im2col(x) @ W.reshape(FN, −1).T + b を (N, OH, OW, FN) に変形して NCHW に転置。backward は
    dW (W と同じ形) と db (バッチとすべての出力位置についての和) を保存し、x と同じ形の dx を返します。

    Convolution layer (§7.4.3): out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f] (cross-correlation).

    W has shape (FN, C, FH, FW), b shape (FN,); the output is (N, FN, OH, OW).
    forward is im2col(x) @ W.reshape(FN, −1).T + b, reshaped to (N, OH, OW, FN)
    and transposed to NCHW. backward stores dW (W's shape) and db (summed over
    the batch and every output position) and returns dx in x's shape.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0) -> None:
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x_shape = None  # what forward keeps for backward
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.convolution (§7.4.3): Convolution.forward を書きましょう / write Convolution.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.convolution (§7.4.3): Convolution.backward を書きましょう / write Convolution.backward")


class Pooling:
    """Max プーリング (§7.4.4): 各チャンネルの pool_h × pool_w のウィンドウごとに最大値。

    ストライド 2 なら 2×2 のウィンドウは重ならず H と W が半分。パディングは 0 で埋めます。
    ストライドの既定値は今の本のリポジトリと同じ 2、印刷された本では 1。テストはいつも
    ストライドを渡すので、どちらの既定値でも通ります。
    backward は出力の勾配をそれぞれウィンドウの最大値があった位置 (同じ値なら最初の位置) に送り、
    ウィンドウが重なる所では足し合わせます。

    Max pooling (§7.4.4): each channel of each pool_h × pool_w window gives its maximum.

    With stride 2, 2×2 windows do not overlap and halve H and W; padding, if any, is
    zeros. The default stride is 2 as in the book's repository today; the printed book
    has 1. The tests always give the stride, so either default passes. backward sends
    each output gradient to the position that held the window's maximum (the first one
    on ties) and adds where windows overlap.
    """

    def __init__(self, pool_h: int, pool_w: int, stride: int = 2, pad: int = 0) -> None:
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x_shape = None  # what forward keeps for backward
        self.arg_max = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.pooling (§7.4.4): Pooling.forward を書きましょう / write Pooling.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.pooling (§7.4.4): Pooling.backward を書きましょう / write Pooling.backward")
