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
    """
    ### BEGIN SOLUTION
    iter_per_epoch = max(x_train.shape[0] // batch_size, 1)
    train_loss_list: list[float] = []
    train_acc_list: list[float] = []
    test_acc_list: list[float] = []
    for i in range(iters_num):
        x_batch, t_batch = sample_batch(x_train, t_train, batch_size, rng)
        grads = network.gradient(x_batch, t_batch)
        for key in grads:
            network.params[key] -= lr * grads[key]
        train_loss_list.append(float(network.loss(x_batch, t_batch)))
        if i % iter_per_epoch == 0:
            train_acc_list.append(float(network.accuracy(x_train, t_train)))
            test_acc_list.append(float(network.accuracy(x_test, t_test)))
    return train_loss_list, train_acc_list, test_acc_list
    ### END SOLUTION


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
    """
    ### BEGIN SOLUTION
    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn(x, t)
            times.append(time.perf_counter() - start)
        return min(times)

    numerical = best(network.numerical_gradient)
    backprop = best(network.gradient)
    return {"numerical": numerical, "backprop": backprop, "ratio": numerical / backprop}
    ### END SOLUTION
