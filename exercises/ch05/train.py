# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 5 章 — 誤差逆伝播法で学習する (§5.7.4)、そして第 4 章の数値微分よりどれだけ速いか。

Chapter 5 — training with backpropagation (§5.7.4), and how much faster it is than chapter 4's.
"""
from __future__ import annotations

import time

import numpy as np

from ch04.train import sample_batch


def train_backprop(network, x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray,
                   t_test: np.ndarray, iters_num: int, batch_size: int, lr: float,
                   rng: np.random.Generator | None = None) -> tuple[list[float], list[float], list[float]]:
    """誤差逆伝播法の勾配によるミニバッチ SGD (§5.7.4)。

    第 4 章のループで network.numerical_gradient の代わりに network.gradient を使います:
    range(iters_num) の各 i で x_batch, t_batch = sample_batch(x_train, t_train, batch_size, rng)、
    grads = network.gradient(x_batch, t_batch)、すべてのキーで network.params[key] -= lr * grads[key]
    (その場で)、network.loss(x_batch, t_batch) を記録。iter_per_epoch = max(len(x_train) // batch_size, 1)
    として i % iter_per_epoch == 0 のとき訓練データ全体とテストデータ全体での network.accuracy を記録。
    (train_loss_list, train_acc_list, test_acc_list) を返します。

    Mini-batch SGD with the gradient from backpropagation (§5.7.4).

    Chapter 4's loop with network.gradient in place of network.numerical_gradient:
    for each i in range(iters_num): x_batch, t_batch = sample_batch(x_train, t_train,
    batch_size, rng); grads = network.gradient(x_batch, t_batch); network.params[key]
    -= lr * grads[key] for every key (in place); append network.loss(x_batch, t_batch).
    With iter_per_epoch = max(len(x_train) // batch_size, 1), whenever
    i % iter_per_epoch == 0 append network.accuracy on the whole training and test sets.
    Returns (train_loss_list, train_acc_list, test_acc_list).

    本との違い: 本ではこの学習はスクリプト (train_neuralnet.py) で、np.random.choice
    からバッチを引きます。ここでは関数にして、バッチは sample_batch(…, rng) から引きます: 同じ seed
    で同じ学習になり、テストが比べられるようにするためです。
    Differs from the book: In the book this training is a script (train_neuralnet.py)
    drawing its batches with np.random.choice. Here it is a function whose batches come
    from sample_batch(…, rng), so one seed gives one run and the tests can compare.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch05.train_backprop (§5.7.4): train_backprop を書きましょう / write train_backprop")


def gradient_speed(network, x: np.ndarray, t: np.ndarray, repeat: int = 3) -> dict[str, float]:
    """同じ (x, t) で勾配 1 回にかかる時間を、2 つの方法で比べます (§5.7.4 と §4.5)。

    network.numerical_gradient(x, t) と network.gradient(x, t) をそれぞれ repeat 回
    time.perf_counter で測り、それぞれ最短 (ほかのプログラムの影響がいちばん少ないもの) をとります。
    {'numerical': 秒, 'backprop': 秒, 'ratio': numerical / backprop} を返します: 数値微分 1 回の間に
    誤差逆伝播法が何回できるか。

    How long one gradient takes each way on the same (x, t) (§5.7.4 against §4.5).

    Time network.numerical_gradient(x, t) and network.gradient(x, t) with
    time.perf_counter, each repeat times, and keep the shortest of each (the least
    disturbed by other programs). Returns {'numerical': seconds, 'backprop': seconds,
    'ratio': numerical / backprop}: how many backprop steps fit in one numerical one.

    本との違い: 本のコードにはない関数です: 本は数値微分が遅いことを言葉で述べます (§4.5、§5.7)。ここでは 1 回の勾配計算にかかる時間を測って比べます。
    Differs from the book: Not a function of the book's code: the book says in words
    that numerical gradients are slow (§4.5, §5.7). Here you time one gradient both ways
    and compare.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch05.gradient_speed (§5.7.4): gradient_speed を書きましょう / write gradient_speed")
