# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 7 — the convolution and pooling layers (§7.4.3, §7.4.4), NCHW.

The same idiom as chapter 5: forward(x) keeps what backward needs;
backward(dout) stores the parameter gradients and returns dL/dx.
"""
from __future__ import annotations

import numpy as np

from ch07.util import col2im, conv_output_size, im2col


class Convolution:
    """Convolution layer (§7.4.3): out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f] (cross-correlation).

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
        raise NotImplementedError("ch07.convolution (§7.4.3): write Convolution.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.convolution (§7.4.3): write Convolution.backward")


class Pooling:
    """Max pooling (§7.4.4): each channel of each pool_h × pool_w window gives its maximum.

    With stride 2, 2×2 windows do not overlap and halve H and W; padding, if any, is
    zeros. The default stride is 2 as in the book's repository today; the printed book
    has 1. The tests always give the stride, so either default passes. backward sends each output gradient to the position that
    held the window's maximum (the first one on ties) and adds where windows overlap.
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
        raise NotImplementedError("ch07.pooling (§7.4.4): write Pooling.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch07.pooling (§7.4.4): write Pooling.backward")
