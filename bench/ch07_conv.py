"""Benchmark: chapter 7's im2col Convolution against direct loops, and against plain matmul.

    PYTHONPATH=. .venv/bin/python bench/ch07_conv.py [--batch 100] [--repeat 7] [--loop-images 2]

Forward + backward of a Convolution layer on a batch of 1×28×28 images with 30
filters of 5×5 (SimpleConvNet's first layer on MNIST), timed three ways:
  reference   solutions/ch07 (im2col, one matrix product per pass, col2im)
  positions   a loop over the 24×24 output positions, vectorised over images and filters
  scalar      a loop over every (image, filter, position), one window at a time;
              timed on --loop-images images and scaled up linearly to the batch
Then the reference's GFLOP/s next to what the same three matrix products reach
alone, and a large square matmul for the machine's ceiling. Times are the best of
--repeat runs (the minimum is the least disturbed by other processes).
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from dlkata.kata import importer

importer.install(importer.impl_root("solutions"), None)
from ch07.layers import Convolution  # noqa: E402  (after the chapter mapping)
from ch07.util import im2col  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def positions_loop(x, W, b, dout):
    """Forward and backward, looping over output positions only."""
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    OH, OW = H - FH + 1, Wd - FW + 1
    out = np.empty((N, FN, OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = np.tensordot(x[:, :, i:i + FH, j:j + FW], W, axes=([1, 2, 3], [1, 2, 3]))
    out += b[None, :, None, None]
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for i in range(OH):
        for j in range(OW):
            d = dout[:, :, i, j]
            dW += np.tensordot(d, x[:, :, i:i + FH, j:j + FW], axes=(0, 0))
            dx[:, :, i:i + FH, j:j + FW] += np.tensordot(d, W, axes=(1, 0))
    return out, dx, dW, dout.sum(axis=(0, 2, 3))


def scalar_loop(x, W, b, dout):
    """Forward and backward, one (image, filter, position) at a time."""
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    OH, OW = H - FH + 1, Wd - FW + 1
    out = np.empty((N, FN, OH, OW))
    dx, dW, db = np.zeros_like(x), np.zeros_like(W), np.zeros(FN)
    for n in range(N):
        for f in range(FN):
            for i in range(OH):
                for j in range(OW):
                    out[n, f, i, j] = np.sum(x[n, :, i:i + FH, j:j + FW] * W[f]) + b[f]
    for n in range(N):
        for f in range(FN):
            for i in range(OH):
                for j in range(OW):
                    g = dout[n, f, i, j]
                    dW[f] += g * x[n, :, i:i + FH, j:j + FW]
                    dx[n, :, i:i + FH, j:j + FW] += g * W[f]
                    db[f] += g
    return out, dx, dW, db


def reference(x, W, b, dout):
    layer = Convolution(W, b)
    out = layer.forward(x)
    dx = layer.backward(dout)
    return out, dx, layer.dW, layer.db


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--loop-images", type=int, default=2, help="images for the scalar loop (scaled up)")
    args = p.parse_args()

    g = np.random.default_rng(0)
    N, C, H, Wd, FN, FH, FW = args.batch, 1, 28, 28, 30, 5, 5
    OH, OW = H - FH + 1, Wd - FW + 1
    x = g.random((N, C, H, Wd))
    W = 0.01 * g.standard_normal((FN, C, FH, FW))
    b = g.standard_normal(FN)
    dout = g.standard_normal((N, FN, OH, OW))

    # The three implementations agree before anything is timed.
    ref = reference(x, W, b, dout)
    for name, got in [("positions", positions_loop(x, W, b, dout)),
                      ("scalar", scalar_loop(x[:2], W, b, dout[:2]))]:
        n = len(got[0])
        want = ref if n == N else reference(x[:n], W, b, dout[:n])
        for a, e in zip(got, want):
            assert np.allclose(a, e, rtol=1e-9, atol=1e-9), f"{name} loop disagrees with the reference"

    t_ref = best_of(lambda: reference(x, W, b, dout), args.repeat)
    t_pos = best_of(lambda: positions_loop(x, W, b, dout), max(1, args.repeat // 3))
    k = args.loop_images
    t_scalar = best_of(lambda: scalar_loop(x[:k], W, b, dout[:k]), 1) * N / k

    # FLOPs of the three products a forward + backward does (bias and col2im's adds left out).
    M, K = N * OH * OW, C * FH * FW
    flops = 3 * 2 * M * K * FN
    col = im2col(x, FH, FW)
    col_W = W.reshape(FN, -1).T
    d2 = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
    t_mm = best_of(lambda: (col @ col_W, col.T @ d2, d2 @ col_W.T), args.repeat)
    S = 1024
    A, B = g.standard_normal((S, S)), g.standard_normal((S, S))
    t_sq = best_of(lambda: A @ B, max(3, args.repeat // 2))

    print(f"Convolution forward + backward: x ({N}, {C}, {H}, {Wd}), W ({FN}, {C}, {FH}, {FW}), "
          f"out ({N}, {FN}, {OH}, {OW}); numpy {np.__version__}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  reference (im2col)        {t_ref * 1e3:9.1f} ms")
    print(f"  loop over positions       {t_pos * 1e3:9.1f} ms   ({t_pos / t_ref:6.1f}× slower)")
    print(f"  scalar loop (scaled)      {t_scalar * 1e3:9.1f} ms   ({t_scalar / t_ref:6.1f}× slower; "
          f"timed on {k} images)")
    print(f"  {flops / 1e6:.1f} MFLOP in the three matrix products:")
    print(f"  reference                 {flops / t_ref / 1e9:9.2f} GFLOP/s")
    print(f"  the same matmuls alone    {flops / t_mm / 1e9:9.2f} GFLOP/s   ({t_mm * 1e3:.1f} ms)")
    print(f"  {S}×{S} @ {S}×{S} matmul    {2 * S ** 3 / t_sq / 1e9:9.2f} GFLOP/s   (the machine's ceiling)")


if __name__ == "__main__":
    main()
