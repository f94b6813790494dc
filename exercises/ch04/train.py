# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
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

    本との違い: 本は np.random.choice(train_size, batch_size) でグローバルな乱数から引きます。ここでは渡された rng
    から引きます: 同じ seed で同じバッチになり、テストが結果を比べられるようにするためです。
    Differs from the book: The book draws with np.random.choice(train_size, batch_size)
    from the global generator. Here draw from the rng you are given, so that one seed
    gives the same batches and the tests can compare runs.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.sample_batch (§4.2.3): sample_batch を書きましょう / write sample_batch")


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

    本との違い: 本ではこの学習はスクリプト (train_neuralnet.py) で、np.random.choice と network.gradient
    を使い、iter_per_epoch は float です。ここでは関数にして、バッチは sample_batch(…, rng) から、勾配は第 4 章の
    numerical_gradient、iter_per_epoch は整数 (max(N // batch_size, 1)) です:
    結果を比べられ、エポックの境目がはっきりするようにするためです。
    Differs from the book: In the book this loop is a script (train_neuralnet.py) with
    np.random.choice, network.gradient and a float iter_per_epoch. Here it is a
    function: batches come from sample_batch(…, rng), gradients from chapter 4's
    numerical_gradient, and iter_per_epoch is the integer max(N // batch_size, 1), so
    runs can be compared and epochs end at whole iterations.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch04.train (§4.5.2): train を書きましょう / write train")
