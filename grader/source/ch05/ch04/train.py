# Given with the ch05 assignment (read-only): the reference solution of ch04/train.py,
# as `make test ch05` uses it. Your own earlier chapters are not needed here.
"""第 4 章 — ミニバッチと学習のループ (§4.2.3, §4.5.2, §4.5.3)。

Chapter 4 — mini-batches and the training loop (§4.2.3, §4.5.2, §4.5.3).
"""
from __future__ import annotations

import numpy as np


def sample_batch(x: np.ndarray, t: np.ndarray, batch_size: int,
                 rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """ランダムなミニバッチ (§4.2.3): x の batch_size 行と、t の同じ行。

    行は rng (None なら np.random.default_rng()) で x 全体から添字で選び、本と同じく重複あり
    (rng.choice(len(x), batch_size))。バッチの行 i とラベル i は同じサンプルのもの。x と t は変えません。

    A random mini-batch (§4.2.3): batch_size rows of x and the same rows of t.

    Rows are drawn by index with rng (np.random.default_rng() when None), from all of
    x, with replacement as in the book (rng.choice(len(x), batch_size)). Row i of the
    batch and label i of the batch come from the same sample. x and t are not modified.
    """
    if rng is None:
        rng = np.random.default_rng()
    mask = rng.choice(x.shape[0], batch_size)
    return x[mask], t[mask]


def train(network, x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray,
          t_test: np.ndarray, iters_num: int, batch_size: int, lr: float,
          rng: np.random.Generator | None = None) -> tuple[list[float], list[float], list[float]]:
    """ミニバッチ SGD (§4.5.2)、エポックごとに評価 (§4.5.3)。

    range(iters_num) の各 i で: sample_batch(x_train, t_train, batch_size, rng) でバッチを引き、
    grads = network.numerical_gradient(x_batch, t_batch)、すべてのキーで
    network.params[key] -= lr * grads[key] (その場で)、それから network.loss(x_batch, t_batch) を
    損失の履歴に追加。iter_per_epoch = max(len(x_train) // batch_size, 1) として
    i % iter_per_epoch == 0 のたびに (その回の更新のあと) 訓練データ全体とテストデータ全体での
    network.accuracy を追加。(train_loss_list, train_acc_list, test_acc_list) を返します。

    Mini-batch SGD (§4.5.2) with evaluation once per epoch (§4.5.3).

    For each i in range(iters_num): draw a batch with sample_batch(x_train, t_train,
    batch_size, rng); grads = network.numerical_gradient(x_batch, t_batch); for every
    key, network.params[key] -= lr * grads[key] (in place); then append
    network.loss(x_batch, t_batch) to the loss history. With
    iter_per_epoch = max(len(x_train) // batch_size, 1), whenever
    i % iter_per_epoch == 0 (after that iteration's update) append
    network.accuracy on the whole training set and on the whole test set.
    Returns (train_loss_list, train_acc_list, test_acc_list).
    """
    iter_per_epoch = max(x_train.shape[0] // batch_size, 1)
    train_loss_list: list[float] = []
    train_acc_list: list[float] = []
    test_acc_list: list[float] = []
    for i in range(iters_num):
        x_batch, t_batch = sample_batch(x_train, t_train, batch_size, rng)
        grads = network.numerical_gradient(x_batch, t_batch)
        for key in grads:
            network.params[key] -= lr * grads[key]
        train_loss_list.append(float(network.loss(x_batch, t_batch)))
        if i % iter_per_epoch == 0:
            train_acc_list.append(float(network.accuracy(x_train, t_train)))
            test_acc_list.append(float(network.accuracy(x_test, t_test)))
    return train_loss_list, train_acc_list, test_acc_list
