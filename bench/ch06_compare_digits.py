"""The book's §6.1.8 (optimizers) and §6.2.4 (initial weights) comparisons on the digits.

Run from the repository root:  .venv/bin/python bench/ch06_compare_digits.py [--seeds 8] [--iters 150]

MultiLayerNet(64, [50]*4, 10), ReLU, batches of 128 drawn from the 1437 training digits;
per seed, every curve starts from the same weights and sees the same batches. Printed:
the mean loss over the last 20 iterations per curve (min/mean/max over the seeds) and
how often each ordering held. These figures are what tests/ch06/test_digits_compare.py rests on.
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

from ch06.digits_compare import compare_optimizers_digits, compare_weight_inits  # noqa: E402
from dlkata.data import load_digits  # noqa: E402


def summary(title: str, runs: list[dict], tail: int = 20) -> np.ndarray:
    names = list(runs[0])
    ends = np.array([[np.mean(r[n][-tail:]) for n in names] for r in runs])   # (seeds, curves)
    firsts = np.array([[np.mean(r[n][:tail]) for n in names] for r in runs])
    print(f"== {title}: mean loss of the first and of the last {tail} iterations, min/mean/max over seeds")
    for j, n in enumerate(names):
        print(f"  {n:9s} first {firsts[:, j].min():.3f}/{firsts[:, j].mean():.3f}/{firsts[:, j].max():.3f}   "
              f"last {ends[:, j].min():.3f}/{ends[:, j].mean():.3f}/{ends[:, j].max():.3f}   per seed "
              + " ".join(f"{v:.3f}" for v in ends[:, j]))
    return ends


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--iters", type=int, default=150)
    args = p.parse_args(argv)
    (x, t), _ = load_digits()
    start = time.perf_counter()
    opt = [compare_optimizers_digits(x, t, iters=args.iters, seed=s) for s in range(args.seeds)]
    t_opt = time.perf_counter() - start
    start = time.perf_counter()
    init = [compare_weight_inits(x, t, iters=args.iters, seed=s) for s in range(args.seeds)]
    t_init = time.perf_counter() - start
    print(f"{args.iters} iterations; optimizers {t_opt / args.seeds:.2f} s per seed, "
          f"initial weights {t_init / args.seeds:.2f} s per seed")
    e = summary("optimizers (§6.1.8)", opt)
    names = list(opt[0])
    sgd = names.index("SGD")
    print("  SGD highest in", int(np.sum(np.argmax(e, axis=1) == sgd)), "of", args.seeds,
          "seeds; Momentum, AdaGrad, Adam each below SGD/2 in",
          int(np.sum(np.all(np.delete(e, sgd, axis=1) < e[:, [sgd]] / 2, axis=1))))
    e = summary("initial weights (§6.2.4)", init)
    print("  std=0.01 above 2.2 in", int(np.sum(e[:, 0] > 2.2)), "; He below Xavier in", int(np.sum(e[:, 2] < e[:, 1])),
          "; Xavier below 1 in", int(np.sum(e[:, 1] < 1.0)), "of", args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
