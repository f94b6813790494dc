# Given with the ch07 assignment (read-only): the reference solution of ch06/optimizer.py,
# as `make test ch07` uses it. Your own earlier chapters are not needed here.
"""第 6 章 — パラメータの更新手法 (§6.1)。update(params, grads) は params をその場で変えます。

params と grads は同じキー ('W1', 'b1', ... や 'x', 'y') の dict。配列は -= と += でその場で
更新します (ネットワークのレイヤが同じ配列そのものを持つので、params[key] = params[key] - ...
ではレイヤに届きません)。Python の float でも動き、新しい値は dict に戻します。状態
(v, h, m, iter) をもつ手法は最初の呼び出しでキーごとに作り、以後ずっと保ちます。
grads は変えません。

Chapter 6 — optimizers (§6.1). Each update(params, grads) changes params in place.

params and grads are dicts with the same keys ('W1', 'b1', ... or 'x', 'y').
Arrays are updated in place with -= and += (a network's layers hold the very
same arrays, so params[key] = params[key] - ... would leave them untouched);
plain Python floats work too, the new value going back into the dict. The
optimizers with state (v, h, m, iter) create it on the first call, per key,
and keep it for every later call. grads are never modified.
"""
from __future__ import annotations

import numpy as np


class SGD:
    """確率的勾配降下法 (§6.1.2): すべてのキーで W ← W − lr·∂L/∂W、その場で。

    Stochastic gradient descent (§6.1.2): W ← W − lr·∂L/∂W for every key, in place.
    """

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = lr

    def update(self, params: dict, grads: dict) -> None:
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    """Momentum (§6.1.4): 速度 v を v ← αv − lr·∂L/∂W で更新し、W ← W + v (α = momentum)。

    v は最初の呼び出しで各パラメータと同じ形の 0 として作り、保ちます。

    Momentum (§6.1.4): v ← αv − lr·∂L/∂W; W ← W + v (α = momentum).

    v starts as zeros shaped like each parameter on the first call and is kept.
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params: dict, grads: dict) -> None:
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class Nesterov:
    """Nesterov の加速勾配法 (arXiv:1212.0901)、本のコードと同じ形 。

    W ← W + α²v − (1 + α)·lr·g、そのあと v ← αv − lr·g (α = momentum、v の初期値は 0 で保つ)。
    新しい速度 v' を使えば W ← W + αv' − lr·g と同じ。

    Nesterov's accelerated gradient (arXiv:1212.0901), in the form the book's code uses.

    W ← W + α²v − (1 + α)·lr·g, then v ← αv − lr·g (α = momentum, v starts at 0
    and is kept). Equivalently W ← W + αv' − lr·g with the new velocity v'.
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params: dict, grads: dict) -> None:
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]


class AdaGrad:
    """AdaGrad (§6.1.5): h ← h + g²、W ← W − lr·g / (√h + 1e-7)、h は呼び出しをまたいで保ちます。

    1e-7 は勾配 0 のとき 0/0 にならないため。

    AdaGrad (§6.1.5): h ← h + g²; W ← W − lr·g / (√h + 1e-7), h kept across calls.

    The 1e-7 keeps a zero gradient from giving 0/0.
    """

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = lr
        self.h = None

    def update(self, params: dict, grads: dict) -> None:
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSprop:
    """RMSprop (§6.1.5): 過去の勾配を少しずつ忘れる h ← ρh + (1 − ρ)g²、W ← W − lr·g / (√h + 1e-7)、ρ = decay_rate。

    RMSprop (§6.1.5): h ← ρh + (1 − ρ)g²; W ← W − lr·g / (√h + 1e-7), ρ = decay_rate.
    """

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99) -> None:
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params: dict, grads: dict) -> None:
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    """Adam (§6.1.6, arXiv:1412.6980)、バイアス補正を学習率に含めた形。

    t ← t + 1、lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ)、m ← m + (1 − β1)(g − m)、
    v ← v + (1 − β2)(g² − v)、W ← W − lr_t·m / (√v + 1e-7)。

    Adam (§6.1.6, arXiv:1412.6980) with bias correction folded into the step size.

    t ← t + 1; lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ); m ← m + (1 − β1)(g − m);
    v ← v + (1 − β2)(g² − v); W ← W − lr_t·m / (√v + 1e-7).
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999) -> None:
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params: dict, grads: dict) -> None:
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
