"""Chapter 5 benchmark: train the ch05 TwoLayerNet by backpropagation on the digits.

Rerun with `.venv/bin/python bench/ch05_digits.py` from the repository root
(`--impl exercises` runs your own code instead of the reference). Prints the
train/test accuracy and the wall time of training, then times one numerical-gradient
step against one backprop step on the same net and batch (§5.7.3's comparison).

The book's §5.7.4 settings: hidden 50, batch 100, learning rate 0.1, minibatches
drawn with replacement, 10000 iterations (on MNIST; here the 1438 training digits).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dlkata.kata import importer  # noqa: E402
from dlkata.data import load_digits  # noqa: E402
from dlkata.training import Training  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--impl", default="solutions", help="tree to take ch05 from (default: the reference)")
    p.add_argument("--iters", type=int, default=10000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--hidden", type=int, default=50)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=5, help="timing repeats (the best is reported)")
    args = p.parse_args(argv)

    importer.install(importer.impl_root(args.impl), None)
    from ch05.two_layer_net import TwoLayerNet

    (x_train, t_train), (x_test, t_test) = load_digits(normalize=True, one_hot_label=True)
    np.random.seed(args.seed)
    net = TwoLayerNet(x_train.shape[1], args.hidden, 10)
    train_size = x_train.shape[0]
    iter_per_epoch = max(train_size // args.batch, 1)
    print(f"digits: train {x_train.shape}, test {x_test.shape}; TwoLayerNet({x_train.shape[1]}, {args.hidden}, 10), "
          f"batch {args.batch}, lr {args.lr}, {args.iters} iterations, seed {args.seed}")

    # A progress bar with the mini-batch loss on a terminal; Ctrl-C stops the training and
    # the rest goes on with the weights learned so far.
    start = time.perf_counter()
    with Training(args.iters, desc="TwoLayerNet") as tr:
        for i in tr:
            idx = np.random.choice(train_size, args.batch)
            grads = net.gradient(x_train[idx], t_train[idx])
            for key in ("W1", "b1", "W2", "b2"):
                net.params[key] -= args.lr * grads[key]
            # The batch's loss, as computed by gradient's forward pass (no extra work).
            tr.update(loss=getattr(getattr(net, "lastLayer", None), "loss", None))
            if (i + 1) % (iter_per_epoch * 100) == 0:
                tr.write(f"  iter {i + 1:5d}: loss {net.loss(x_train, t_train):.4f}, "
                         f"train acc {net.accuracy(x_train, t_train):.4f}, test acc {net.accuracy(x_test, t_test):.4f}")
    train_time = time.perf_counter() - start
    stopped = f" (stopped after {tr.steps} iterations)" if tr.interrupted else ""
    print(f"final{stopped}: train acc {net.accuracy(x_train, t_train):.4f}, test acc {net.accuracy(x_test, t_test):.4f}, "
          f"training wall time {train_time:.2f} s ({1e3 * train_time / max(tr.steps, 1):.3f} ms per iteration)")

    # One gradient of the same net on one batch, both ways.
    xb, tb = x_train[:args.batch], t_train[:args.batch]
    n_params = sum(v.size for v in net.params.values())

    def best(fn, repeat):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return min(times), out

    t_num, g_num = best(lambda: net.numerical_gradient(xb, tb), max(1, args.repeat // 2))
    t_bp, g_bp = best(lambda: net.gradient(xb, tb), 50 * args.repeat)
    mean_abs = {k: float(np.mean(np.abs(g_bp[k] - g_num[k]))) for k in g_bp}
    max_rel = {k: float(np.max(np.abs(g_bp[k] - g_num[k]) / np.maximum(np.abs(g_bp[k]) + np.abs(g_num[k]), 1e-12)))
               for k in g_bp}
    print(f"one gradient, batch {args.batch}, {n_params} parameters: numerical {t_num:.3f} s, "
          f"backprop {1e3 * t_bp:.3f} ms; backprop takes 1/{t_num / t_bp:,.0f} of the time")
    print("backprop vs numerical on that batch, mean |difference| (the book's measure): "
          + ", ".join(f"{k} {v:.1e}" for k, v in mean_abs.items()))
    print("  max relative error (large where a ReLU input sits within h of 0 or a gradient is ~0): "
          + ", ".join(f"{k} {v:.1e}" for k, v in max_rel.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
