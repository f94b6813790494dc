"""Batch Normalization on the digits (§6.3.2): the figures behind ch06.batch_norm_compare's tests.

Run from the repository root:  .venv/bin/python bench/ch06_batchnorm.py [--seeds 8] [--lr 0.01 --epochs 34]

For each seed and each initial weight scale, the same small net (MultiLayerNetExtend(64, [50]*5, 10),
ReLU) is trained twice from the same initial W, once without and once with Batch Norm, by
minibatch SGD (batches of 100 drawn with replacement from the first --train digits), its
training accuracy (test mode) measured once an epoch (--train // --batch updates).
Printed: that accuracy at the end and after a quarter of the epochs, per scale, as min / mean / max over the seeds, and how often BN is ahead.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata.kata import importer  # noqa: E402

importer.install(importer.impl_root("solutions"), None)

import numpy as np  # noqa: E402

from ch06.batch_norm_compare import batch_norm_comparison  # noqa: E402
from dlkata.data import load_digits  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--train", type=int, default=300)
    p.add_argument("--epochs", type=int, default=34, help="34 epochs of 3 updates: 100 updates")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--hidden", type=int, default=50)
    p.add_argument("--layers", type=int, default=5)
    p.add_argument("--scales", default="1,0.3,0.1,0.03,0.01,0.001,0.0001")
    p.add_argument("--per-seed", action="store_true", help="also each seed's final accuracies and spreads")
    args = p.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")]
    (x, t), _ = load_digits()
    x, t = x[:args.train], t[:args.train]
    print(f"digits {x.shape}, MultiLayerNetExtend(64, [{args.hidden}]*{args.layers}, 10), SGD lr {args.lr}, "
          f"batch {args.batch}, {args.epochs} epochs of {max(args.train // args.batch, 1)} updates, seeds 0..{args.seeds - 1}")
    start = time.perf_counter()
    runs = [batch_norm_comparison(x, t, scales, hidden_size_list=[args.hidden] * args.layers,
                                  max_epochs=args.epochs, batch_size=args.batch, lr=args.lr, seed=s)
            for s in range(args.seeds)]
    secs = time.perf_counter() - start
    print(f"{secs:.1f} s in all, {secs / args.seeds:.2f} s per seed ({len(scales)} scales × 2 nets)")
    q = max(args.epochs // 4 - 1, 0)
    for i, w in enumerate(scales):
        plain = np.array([r[i]["plain"] for r in runs])   # (seeds, epochs)
        bn = np.array([r[i]["batchnorm"] for r in runs])
        def mmm(a):
            return f"{a.min():.2f}/{a.mean():.2f}/{a.max():.2f}"
        print(f"scale {w:8.4g}: end plain {mmm(plain[:, -1])}  BN {mmm(bn[:, -1])}  "
              f"BN ahead {int(np.sum(bn[:, -1] > plain[:, -1]))}/{args.seeds}  | at 1/4: plain {mmm(plain[:, q])}  "
              f"BN {mmm(bn[:, q])}  BN ahead {int(np.sum(bn[:, q] > plain[:, q]))}/{args.seeds}")
    if args.per_seed:
        for i, w in enumerate(scales):
            print(f"scale {w:g} final accuracy per seed: plain "
                  + " ".join(f"{r[i]['plain'][-1]:.2f}" for r in runs) + " | BN "
                  + " ".join(f"{r[i]['batchnorm'][-1]:.2f}" for r in runs))
        plain = np.array([[r[i]["plain"][-1] for i in range(len(scales))] for r in runs])
        bn = np.array([[r[i]["batchnorm"][-1] for i in range(len(scales))] for r in runs])
        print("spread over the scales (max − min) per seed: plain "
              + " ".join(f"{v:.2f}" for v in plain.max(1) - plain.min(1)) + " | BN "
              + " ".join(f"{v:.2f}" for v in bn.max(1) - bn.min(1)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
