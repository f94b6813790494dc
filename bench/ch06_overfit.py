"""Overfitting and two cures (§6.4): the figures behind chapter 6's overfitting tests.

Run from the repository root:  .venv/bin/python bench/ch06_overfit.py [--seeds 8] [--book]

Part 1 is the tests' setting (tests/ch06/helpers.py OVERFIT): 50 training digits,
a net of 3 hidden layers of 50, 200 full-batch SGD steps (lr 0.1), then
weight decay (λ = 0.03) and Dropout (ratio 0.2). Each seed draws its own He
initial weights (the same ones for the three nets) and, for Dropout, its own masks.
Part 2 (--book) is the book's setting (§6.4.1–§6.4.3) moved to the digits:
300 samples, 6 hidden layers of 100, minibatches of 100 drawn with replacement,
SGD lr 0.01, λ = 0.1 for 201 epochs, Dropout 0.2 for 301 epochs.

Losses are cross-entropy without the weight-decay term, measured in test mode.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Small matrices: OpenBLAS threads only add overhead (and stall on a busy machine).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata.kata import importer  # noqa: E402

importer.install(importer.impl_root("solutions"), None)

import numpy as np  # noqa: E402

from ch06.multi_layer_net import MultiLayerNet, MultiLayerNetExtend  # noqa: E402
from ch06.optimizer import SGD  # noqa: E402
from dlkata.training import Training  # noqa: E402
from tests.ch06.helpers import OVERFIT, accuracy, cross_entropy, overfit_data, train_and_measure  # noqa: E402


def measure(net, x, t, x_test, t_test) -> dict:
    s_train, s_test = net.predict(x), net.predict(x_test)
    return {"train_acc": accuracy(s_train, t), "test_acc": accuracy(s_test, t_test),
            "train_loss": cross_entropy(s_train, t), "test_loss": cross_entropy(s_test, t_test)}


def row(name: str, r: dict) -> str:
    return (f"{name:10s} train acc {r['train_acc']:.3f}  test acc {r['test_acc']:.3f}  "
            f"acc gap {r['train_acc'] - r['test_acc']:+.3f}   train loss {r['train_loss']:.3f}  "
            f"test loss {r['test_loss']:.3f}  loss gap {r['test_loss'] - r['train_loss']:.3f}")


def part1(seeds: int) -> bool:
    """The tests' setting over several seeds; True if it was stopped with Ctrl-C."""
    hid = OVERFIT["hidden"]
    print(f"== tests' setting: {OVERFIT}")
    runs = {"plain": [], "decay": [], "dropout": []}
    start = time.perf_counter()
    # One bar step per training run (each is short), showing that run's final training loss;
    # Ctrl-C stops and the figures below are over the seeds that finished.
    with Training(3 * seeds, desc="runs", unit="run") as tr:
        for seed in range(seeds):
            nets = {"plain": MultiLayerNet(64, hid, 10),
                    "decay": MultiLayerNet(64, hid, 10, weight_decay_lambda=OVERFIT["weight_decay_lambda"]),
                    "dropout": MultiLayerNetExtend(64, hid, 10, use_dropout=True,
                                                   dropout_ration=OVERFIT["dropout_ratio"])}
            for name, net in nets.items():
                runs[name].append(train_and_measure(net, net.predict, seed=seed))
                tr.update(loss=runs[name][-1]["train_loss"], seed=seed)
    elapsed = time.perf_counter() - start
    seeds = min(len(rs) for rs in runs.values())  # the seeds whose three runs finished
    if seeds == 0:
        print("stopped before the first seed finished: nothing to report")
        return True
    runs = {name: rs[:seeds] for name, rs in runs.items()}
    for name, rs in runs.items():
        mean = {k: float(np.mean([r[k] for r in rs])) for k in rs[0]}
        print(row(f"{name} (mean)", mean))
    gap = {name: np.array([r["test_loss"] - r["train_loss"] for r in rs]) for name, rs in runs.items()}
    for name in ("decay", "dropout"):
        ratio = gap[name] / gap["plain"]
        print(f"loss gap {name} / plain per seed: min {ratio.min():.2f}  max {ratio.max():.2f}  "
              f"(the tests require < 0.95)")
    acc_gap = {name: np.array([r["train_acc"] - r["test_acc"] for r in rs]) for name, rs in runs.items()}
    for name in ("decay", "dropout"):
        smaller = int(np.sum(acc_gap[name] < acc_gap["plain"]))
        print(f"accuracy gap {name} smaller than plain in {smaller} of {seeds} seeds")
    print(f"{seeds} seeds × 3 nets in {elapsed:.1f} s ({elapsed / (3 * seeds):.2f} s per training run)")
    return tr.interrupted


def train_book(net, x, t, epochs: int, seed: int, desc: str = "") -> Training:
    """Mini-batch SGD under a progress bar (the batch's loss); Ctrl-C stops it, keeping the weights."""
    rng = np.random.default_rng(seed)
    opt = SGD(lr=0.01)
    iters = epochs * max(len(x) // 100, 1)
    with Training(iters, desc=desc) as tr:
        for _ in tr:
            idx = rng.choice(len(x), 100)
            opt.update(net.params, net.gradient(x[idx], t[idx]))
            tr.update(loss=getattr(net.last_layer, "loss", None))
    return tr


def part2(seed: int = 0) -> None:
    print("== the book's setting on the digits (300 samples, 6 × 100, SGD lr 0.01, batch 100)")
    x, t, x_test, t_test = overfit_data(300)
    for name, make, epochs in (
            ("plain", lambda: MultiLayerNet(64, [100] * 6, 10), 201),
            ("decay 0.1", lambda: MultiLayerNet(64, [100] * 6, 10, weight_decay_lambda=0.1), 201),
            ("plain", lambda: MultiLayerNetExtend(64, [100] * 6, 10), 301),
            ("drop 0.2", lambda: MultiLayerNetExtend(64, [100] * 6, 10, use_dropout=True, dropout_ration=0.2), 301)):
        np.random.seed(seed)
        net = make()
        start = time.perf_counter()
        tr = train_book(net, x, t, epochs, seed, desc=name)
        done = f"stopped after {tr.steps} of {tr.total} iterations" if tr.interrupted else f"{epochs} epochs"
        print(row(f"{name}", measure(net, x, t, x_test, t_test)) + f"   ({done}, {time.perf_counter() - start:.1f} s)")
        if tr.interrupted:
            break


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--book", action="store_true", help="also run the book's (slower) setting")
    args = parser.parse_args()
    stopped = part1(args.seeds)
    if args.book and not stopped:
        part2()
