"""Trusted helpers for chapter 6's tests (not tests themselves)."""
from __future__ import annotations

import numpy as np

from dlkata.data import load_digits
from dlkata.testing import sgd

# The overfitting experiment (§6.4.1), sized for a test: few samples, a deep
# enough net, full-batch SGD. See bench/ch06_overfit.py for the measured figures.
OVERFIT = dict(train_size=50, hidden=[50, 50, 50], iters=200, lr=0.1,
               weight_decay_lambda=0.03, dropout_ratio=0.2)


def he_weights(params: dict, rng: np.random.Generator) -> None:
    """Overwrite a net's parameters in place with He-initialised W and zero b (the test's own draw).

    In place, so the layers that share the arrays see the new values, and so the
    experiment does not depend on how the learner draws random numbers.
    """
    for key in sorted(params):
        p = params[key]
        if key.startswith("W"):
            p[...] = rng.standard_normal(p.shape) * np.sqrt(2.0 / p.shape[0])
        elif key.startswith("gamma"):
            p[...] = 1.0
        else:
            p[...] = 0.0


def cross_entropy(scores: np.ndarray, t: np.ndarray, delta: float = 1e-7) -> float:
    """Mean cross-entropy of softmax(scores) against index labels t.

    delta = 1e-7 inside the log is the book's convention (what the nets' loss
    returns); delta = 0 is the exact function that backpropagation differentiates.
    """
    s = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(t)), t] + delta).mean())


def accuracy(scores: np.ndarray, t: np.ndarray) -> float:
    return float(np.mean(np.argmax(scores, axis=1) == t))


def overfit_data(train_size: int = OVERFIT["train_size"]):
    (x_train, t_train), (x_test, t_test) = load_digits()
    return x_train[:train_size], t_train[:train_size], x_test, t_test


def train_and_measure(net, predict, iters: int = OVERFIT["iters"], lr: float = OVERFIT["lr"],
                      seed: int = 0, train_size: int = OVERFIT["train_size"]) -> dict:
    """Full-batch SGD on the small training set; returns accuracies and losses (no decay term).

    predict(x) gives the scores in test mode. The update is the trusted p -= lr·g in place.
    """
    x, t, x_test, t_test = overfit_data(train_size)
    he_weights(net.params, np.random.default_rng(seed))
    state = np.random.get_state()
    np.random.seed(seed)  # dropout masks, for a learner who draws them from np.random
    try:
        sgd(net, x, t, iters, lr)   # in the grading worker under the sandbox: one crossing
    finally:
        np.random.set_state(state)
    s_train, s_test = predict(x), predict(x_test)
    return {"train_acc": accuracy(s_train, t), "test_acc": accuracy(s_test, t_test),
            "train_loss": cross_entropy(s_train, t), "test_loss": cross_entropy(s_test, t_test)}


def seeded_run(make_net, update, measure, x, t, iters: int, batch_size: int, seed: int,
               every: int = 1) -> np.ndarray:
    """The protocol of chapter 6's comparisons, written out by the tests: np.random.seed(seed),
    net = make_net(), batches rng.choice(N, batch_size) from np.random.default_rng(seed); after
    update i (from 0) of iters, when i % every == 0, record measure(net, batch). NumPy's
    global state is put back."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        net, r = make_net(), np.random.default_rng(seed)
        out = []
        for i in range(iters):
            batch = r.choice(x.shape[0], batch_size)
            update(net, net.gradient(x[batch], t[batch]))
            if i % every == 0:
                out.append(measure(net, batch))
    finally:
        np.random.set_state(state)
    return np.array(out)
