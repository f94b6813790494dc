"""Benchmark: chapter 4's TwoLayerNet trained with numerical gradients on the 8×8 digits.

Uses the reference solutions (solutions/ch04), not exercises/. Run from the repo root:

    PYTHONPATH=. .venv/bin/python bench/ch04_digits.py [--hidden 10] [--iters 300] ...

Numerical gradients cost two forward passes per parameter per iteration
(64·10 + 10 + 10·10 + 10 = 760 parameters with 10 hidden units), so the default
run keeps the net small and the iterations few: well under a minute. The learning
rate is larger than the book's 0.1 (§4.5.2) because there are only a few hundred
iterations to train in. Prints test accuracy before and after, per-epoch accuracies
and the wall time.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from dlkata.kata import importer

importer.install(importer.impl_root("solutions"), None)

from ch04.train import train  # noqa: E402  (after the import mapping)
from ch04.two_layer_net import TwoLayerNet  # noqa: E402
from dlkata.data import load_digits  # noqa: E402
from dlkata.training import Training  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=10)
    ap.add_argument("--iters", type=int, default=250)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--lr", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    (x_train, t_train), (x_test, t_test) = load_digits(normalize=True, one_hot_label=True)
    np.random.seed(args.seed)  # TwoLayerNet draws its weights with np.random.randn
    net = TwoLayerNet(input_size=x_train.shape[1], hidden_size=args.hidden, output_size=10)
    n_params = sum(p.size for p in net.params.values())
    print(f"digits: {len(x_train)} train / {len(x_test)} test; TwoLayerNet(64, {args.hidden}, 10), "
          f"{n_params} params; iters={args.iters} batch={args.batch} lr={args.lr} seed={args.seed}")

    before = net.accuracy(x_test, t_test)
    print(f"test accuracy before: {before:.4f}  (chance: 0.10)")
    # ch04's train() one epoch at a time, so that a progress bar can show the loss and Ctrl-C
    # keeps what was learned: it measures the accuracies at the first iteration of each epoch,
    # which is where each call starts, and draws its batches from the same rng, so the results
    # are those of a single train(net, ..., iters_num=args.iters) call.
    per_epoch = max(len(x_train) // args.batch, 1)
    rng = np.random.default_rng(args.seed)
    losses, train_acc, test_acc = [], [], []
    start, cpu = time.perf_counter(), time.process_time()
    with Training(args.iters, desc="TwoLayerNet (numerical gradients)", unit="it") as tr:
        while tr.steps < args.iters:
            n = min(per_epoch, args.iters - tr.steps)
            loss, a, b = train(net, x_train, t_train, x_test, t_test, iters_num=n, batch_size=args.batch,
                               lr=args.lr, rng=rng)
            losses += loss
            train_acc += a
            test_acc += b
            tr.update(loss=float(np.mean(loss)), n=n, test_acc=b[0])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu

    for k, (a, b) in enumerate(zip(train_acc, test_acc)):
        print(f"  after iteration {k * per_epoch:4d}: train acc {a:.4f}  test acc {b:.4f}")
    if losses:
        print(f"mini-batch loss: first {losses[0]:.4f}, mean of the last 10 {np.mean(losses[-10:]):.4f}")
    print(f"test accuracy after:  {net.accuracy(x_test, t_test):.4f}   "
          f"train accuracy after: {net.accuracy(x_train, t_train):.4f}"
          + (f"   (stopped after {tr.steps} iterations)" if tr.interrupted else ""))
    print(f"wall time: {elapsed:.1f} s ({elapsed / max(tr.steps, 1) * 1000:.0f} ms per iteration), "
          f"CPU time {cpu:.1f} s")


if __name__ == "__main__":
    main()
