"""Real data with no download: the 8×8 handwritten digits that scikit-learn ships.

The same shape of API as the book's load_mnist (§3.6.1), so code written for one
works with the other: ((x_train, t_train), (x_test, t_test)).
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

TEST_RATIO = 0.2
SPLIT_SEED = 0  # the split is fixed: every run and every learner sees the same test set


@functools.cache
def _raw() -> tuple[np.ndarray, np.ndarray]:
    # Read scikit-learn's bundled file directly: importing sklearn itself costs
    # over a second, which every test run would pay.
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec and spec.origin else None
    if path is not None and path.exists():
        table = np.loadtxt(path, delimiter=",")
        return table[:, :-1].astype(np.float64), table[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


def one_hot(t: np.ndarray, classes: int = 10) -> np.ndarray:
    out = np.zeros((t.size, classes))
    out[np.arange(t.size), t] = 1.0
    return out


def load_digits(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False):
    """1797 digits: 1438 for training and 359 for testing (a fixed split).

    normalize: pixels in [0, 1] (float64) instead of 0..16. flatten: rows of 64
    values instead of images of shape (1, 8, 8) (NCHW). one_hot_label: labels as
    (N, 10) one-hot rows instead of class indices.
    """
    x, t = _raw()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(t))
    x, t = x[order], t[order]
    if normalize:
        x = x / 16.0
    if not flatten:
        x = x.reshape(-1, 1, 8, 8)
    labels = one_hot(t) if one_hot_label else t
    n_test = int(round(len(t) * TEST_RATIO))
    return (x[n_test:], labels[n_test:]), (x[:n_test], labels[:n_test])
