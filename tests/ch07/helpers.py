"""Trusted, deliberately naive implementations that chapter 7's tests compare against.

Every loop here walks output positions (and, for im2col and col2im, images and window
offsets) one by one: slow, but with no index order to get wrong. The convolution and
pooling references take every image and channel of one output position at once, fast
enough for the numerical gradients of the trusted losses. Nothing here imports the
learner's code.
"""
from __future__ import annotations


import numpy as np


def out_size(size: int, filt: int, stride: int, pad: int) -> int:
    span = size + 2 * pad - filt
    assert span >= 0 and span % stride == 0, "test shapes must tile exactly"
    return span // stride + 1


def pad_images(x: np.ndarray, pad: int) -> np.ndarray:
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=np.float64)
    out[:, :, pad:pad + H, pad:pad + W] = x
    return out


def loop_im2col(x: np.ndarray, fh: int, fw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Row (n, i, j) holds window (i, j) of image n, read channel by channel, row by row."""
    N, C, H, W = x.shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    xp = pad_images(x, pad)
    rows = []
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                row = []
                for c in range(C):
                    for a in range(fh):
                        for b in range(fw):
                            row.append(xp[n, c, i * stride + a, j * stride + b])
                rows.append(row)
    return np.array(rows, dtype=np.float64)


def loop_col2im(col: np.ndarray, shape: tuple, fh: int, fw: int, stride: int = 1,
                pad: int = 0) -> np.ndarray:
    """The adjoint of loop_im2col: each entry is added to the pixel it was read from."""
    N, C, H, W = shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    r = 0
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                k = 0
                for c in range(C):
                    for a in range(fh):
                        for b in range(fw):
                            xp[n, c, i * stride + a, j * stride + b] += col[r, k]
                            k += 1
                r += 1
    return xp[:, :, pad:pad + H, pad:pad + W]


def coverage(shape: tuple, fh: int, fw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """How many windows cover each pixel of an image of shape (N, C, H, W)."""
    N, C, H, W = shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    counts = np.zeros((H + 2 * pad, W + 2 * pad))
    for i in range(oh):
        for j in range(ow):
            counts[i * stride:i * stride + fh, j * stride:j * stride + fw] += 1
    return np.broadcast_to(counts[pad:pad + H, pad:pad + W], shape).copy()


def loop_conv(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0) -> np.ndarray:
    """out[n, f, i, j] = Σ_{c,a,b} x_padded[n, c, i·S + a, j·S + b] · W[f, c, a, b] + b[f]."""
    N, C, H, Wd = x.shape
    FN, _, fh, fw = W.shape
    oh, ow = out_size(H, fh, stride, pad), out_size(Wd, fw, stride, pad)
    xp = pad_images(x, pad)
    out = np.zeros((N, FN, oh, ow))
    flat_w = W.reshape(FN, -1)
    for i in range(oh):            # one output position at a time, every image and filter at once
        for j in range(ow):
            window = xp[:, :, i * stride:i * stride + fh, j * stride:j * stride + fw]
            out[:, :, i, j] = window.reshape(N, -1) @ flat_w.T + b
    return out


def loop_maxpool(x: np.ndarray, ph: int, pw: int, stride: int) -> np.ndarray:
    """Max pooling without padding."""
    N, C, H, W = x.shape
    oh, ow = out_size(H, ph, stride, 0), out_size(W, pw, stride, 0)
    out = np.zeros((N, C, oh, ow))
    for i in range(oh):            # one output position at a time, every image and channel at once
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw].max(axis=(2, 3))
    return out


def loop_maxpool_backward(x: np.ndarray, dout: np.ndarray, ph: int, pw: int, stride: int) -> np.ndarray:
    """Each output gradient goes to the (first) maximum of its window; overlaps add up."""
    N, C, oh, ow = dout.shape
    dx = np.zeros_like(x, dtype=np.float64)
    for n in range(N):
        for c in range(C):
            for i in range(oh):
                for j in range(ow):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + a, j * stride + b] += dout[n, c, i, j]
    return dx


def distinct_values(shape: tuple, generator: np.random.Generator, gap: float = 0.01) -> np.ndarray:
    """Random values, any two at least `gap` apart: no ties for max pooling, even after a ±h nudge."""
    size = int(np.prod(shape))
    values = (generator.permutation(size) - size / 2) * gap
    return values.reshape(shape) + generator.uniform(0, gap / 10, shape)
