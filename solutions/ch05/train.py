"""Chapter 5 — training with backpropagation (§5.7.4), and how much faster it is than chapter 4's."""
from __future__ import annotations

import time

import numpy as np

from ch04.train import sample_batch


def train_backprop(network, x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray,
                   t_test: np.ndarray, iters_num: int, batch_size: int, lr: float,
                   rng: np.random.Generator | None = None) -> tuple[list[float], list[float], list[float]]:
    """Mini-batch SGD with the gradient from backpropagation (§5.7.4).

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
    """How long one gradient takes each way on the same (x, t) (§5.7.4 against §4.5).

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
