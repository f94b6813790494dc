"""Trusted helpers for the chapter-4 training tests, shared with chapter 5's (not tests themselves)."""
from __future__ import annotations

import numpy as np

from dlkata.testing import expect_close, expect_true, portable, rng


@portable
class TinyNet:
    """Softmax regression with the network interface train() uses; logs every gradient call."""

    def __init__(self, d, k, seed=0):
        g = rng(seed)
        self.params = {"W": 0.01 * g.normal(size=(d, k)), "b": np.zeros(k)}
        self.grad_calls = []  # (x_batch, t_batch, params before the update)

    @staticmethod
    def forward(params, x):
        a = x @ params["W"] + params["b"]
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    @classmethod
    def loss_of(cls, params, x, t):
        y = cls.forward(params, x)
        return float(-np.mean(np.log(y[np.arange(len(t)), t] + 1e-7)))

    @classmethod
    def accuracy_of(cls, params, x, t):
        return float(np.mean(np.argmax(cls.forward(params, x), axis=1) == t))

    def predict(self, x):
        return self.forward(self.params, x)

    def loss(self, x, t):
        return self.loss_of(self.params, x, t)

    def accuracy(self, x, t):
        return self.accuracy_of(self.params, x, t)

    @classmethod
    def gradient_of(cls, params, x, t):
        """The exact gradient of loss_of (softmax with cross-entropy: (y − t) / N)."""
        dy = cls.forward(params, x)
        dy[np.arange(len(t)), t] -= 1
        dy /= len(t)
        return {"W": x.T @ dy, "b": dy.sum(axis=0)}

    def numerical_gradient(self, x, t):
        self.grad_calls.append((np.array(x), np.array(t), {k: v.copy() for k, v in self.params.items()}))
        return self.gradient_of(self.params, x, t)


def blobs(n, seed, noise=0.6):
    """n points in 4-D around three noisy centres; labels 0, 1, 2."""
    g = rng(seed)
    centres = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, -1.0], [0.0, 0.0, 1.0, 0.0]])
    t = g.integers(0, 3, size=n)
    return centres[t] + noise * g.normal(size=(n, 4)), t


def expect_sgd_run(net: TinyNet, lr: float, result, data, call: str) -> None:
    """Check a training run of 14 iterations on 32 samples with batches of 5 against net.grad_calls:
    params[key] -= lr·grads[key] each iteration, loss i on batch i after its update, and the
    accuracies after iterations 0, 6 and 12 (iter_per_epoch = 32 // 5 = 6)."""
    losses, train_acc, test_acc = result
    x_train, t_train, x_test, t_test = data
    calls = net.grad_calls
    # params after iteration i: what the next gradient call saw, and the final params.
    after = [c[2] for c in calls[1:]] + [{k: v.copy() for k, v in net.params.items()}]
    for i, (xb, tb, params) in enumerate(calls):
        grads = TinyNet.gradient_of(params, xb, tb)
        want = {k: params[k] - lr * grads[k] for k in params}
        ok = all(np.allclose(after[i][k], want[k], rtol=1e-12, atol=1e-15) for k in ("W", "b"))
        if not expect_true(ok, call=call, note=(f"繰り返し {i}: すべてのキーで params[key] -= lr * grads[key]",
                                                f"iteration {i}: params[key] -= lr * grads[key] for every key"),
                           actual=after[i]["W"], expected=want["W"]):
            break
    want_losses = [TinyNet.loss_of(after[i], calls[i][0], calls[i][1]) for i in range(len(calls))]
    expect_close(losses, want_losses, rtol=1e-10, call=f"{call}[0]",
                 note=("損失 i はその回の更新のあとの、バッチ i での network.loss",
                       "loss i is network.loss on batch i, after that iteration's update"))
    expect_close(train_acc, [TinyNet.accuracy_of(after[i], x_train, t_train) for i in (0, 6, 12)],
                 call=f"{call}[1]", note=("繰り返し 0, 6, 12 のあとの訓練データ全体での認識精度 (iter_per_epoch = 32 // 5 = 6)",
                                          "accuracy on the whole training set after iterations 0, 6, 12 "
                                         "(iter_per_epoch = 32 // 5 = 6)"))
    expect_close(test_acc, [TinyNet.accuracy_of(after[i], x_test, t_test) for i in (0, 6, 12)],
                 call=f"{call}[2]", note=("繰り返し 0, 6, 12 のあとのテストデータ全体での認識精度",
                                          "accuracy on the whole test set after iterations 0, 6, 12"))
