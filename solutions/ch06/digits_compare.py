"""第 6 章 — 本の実データでの比較を数字画像で (§6.1.8、§6.2.4)。

同じ 5 層のネットワークを、同じ初期値と同じミニバッチで、1 つのことだけ変えて学習させます:
最適化手法 (§6.1.8) か、重みの初期値の大きさ (§6.2.4)。損失の曲線がその違いを示します。

Chapter 6 — the book's comparisons on real data, moved to the digits (§6.1.8, §6.2.4).

The same five-layer net is trained from the same initial weights on the same
minibatches, changing one thing at a time: the optimizer (§6.1.8) or the scale of
the initial weights (§6.2.4). The loss curves tell them apart.
"""
from __future__ import annotations

import numpy as np

from ch06.multi_layer_net import MultiLayerNet
from ch06.optimizer import SGD, AdaGrad, Adam, Momentum


def train_losses(network, optimizer, x: np.ndarray, t: np.ndarray, iters: int, batch_size: int,
                 rng: np.random.Generator) -> np.ndarray:
    """ミニバッチ学習 (§6.1.8): iters 回、batch = rng.choice(N, batch_size)、
    grads = network.gradient(x[batch], t[batch])、optimizer.update(network.params, grads)、
    そして network.loss(x[batch], t[batch]) を記録。iters 個の損失を float の配列で返します。

    Minibatch training (§6.1.8): iters times, batch = rng.choice(N, batch_size);
    grads = network.gradient(x[batch], t[batch]); optimizer.update(network.params, grads);
    then record network.loss(x[batch], t[batch]). Returns the iters losses as a float array.
    """
    ### BEGIN SOLUTION
    losses = np.empty(iters)
    for i in range(iters):
        batch = rng.choice(x.shape[0], batch_size)
        grads = network.gradient(x[batch], t[batch])
        optimizer.update(network.params, grads)
        losses[i] = network.loss(x[batch], t[batch])
    return losses
    ### END SOLUTION


# The book's §6.1.8 comparison: each optimizer with its default learning rate.
DIGITS_OPTIMIZERS = {"SGD": SGD, "Momentum": Momentum, "AdaGrad": AdaGrad, "Adam": Adam}
# The book's §6.2.4 comparison: ReLU nets from three initial scales.
DIGITS_INITS = {"std=0.01": 0.01, "Xavier": "sigmoid", "He": "relu"}


def compare_optimizers_digits(x: np.ndarray, t: np.ndarray, iters: int = 300, batch_size: int = 128,
                              hidden_size_list: list[int] = [50, 50, 50, 50],
                              seed: int = 0) -> dict[str, np.ndarray]:
    """数字画像での §6.1.8: DIGITS_OPTIMIZERS の各手法について順に {名前: train_losses(...)}。

    手法ごとに: np.random.seed(seed)、MultiLayerNet(D, hidden_size_list, 10) (ReLU、He: どれも
    同じ初期値)、既定の引数の最適化手法、train_losses(net, optimizer, x, t, iters, batch_size,
    np.random.default_rng(seed)) (どれも同じミニバッチ)。

    §6.1.8 on the digits: {name: train_losses(...)} for each of DIGITS_OPTIMIZERS, in order.

    For each optimizer: np.random.seed(seed), then MultiLayerNet(D, hidden_size_list, 10)
    (ReLU, He: the same initial weights for all), the optimizer with its default
    arguments, and train_losses(net, optimizer, x, t, iters, batch_size,
    np.random.default_rng(seed)) (the same minibatches for all).
    """
    ### BEGIN SOLUTION
    curves = {}
    for name, make in DIGITS_OPTIMIZERS.items():
        np.random.seed(seed)
        net = MultiLayerNet(x.shape[1], hidden_size_list, 10)
        curves[name] = train_losses(net, make(), x, t, iters, batch_size, np.random.default_rng(seed))
    return curves
    ### END SOLUTION


def compare_weight_inits(x: np.ndarray, t: np.ndarray, iters: int = 300, batch_size: int = 128,
                         hidden_size_list: list[int] = [50, 50, 50, 50], lr: float = 0.01,
                         seed: int = 0) -> dict[str, np.ndarray]:
    """数字画像での §6.2.4: DIGITS_INITS の各初期値について順に {名前: train_losses(...)}。

    それぞれ: np.random.seed(seed)、MultiLayerNet(D, hidden_size_list, 10,
    weight_init_std=DIGITS_INITS[name]) (ReLU)、SGD(lr)、train_losses(net, SGD(lr), x, t, iters,
    batch_size, np.random.default_rng(seed))。

    §6.2.4 on the digits: {name: train_losses(...)} for each of DIGITS_INITS, in order.

    For each: np.random.seed(seed), MultiLayerNet(D, hidden_size_list, 10,
    weight_init_std=DIGITS_INITS[name]) (ReLU), SGD(lr), and train_losses(net, SGD(lr),
    x, t, iters, batch_size, np.random.default_rng(seed)).
    """
    ### BEGIN SOLUTION
    curves = {}
    for name, scale in DIGITS_INITS.items():
        np.random.seed(seed)
        net = MultiLayerNet(x.shape[1], hidden_size_list, 10, weight_init_std=scale)
        curves[name] = train_losses(net, SGD(lr), x, t, iters, batch_size, np.random.default_rng(seed))
    return curves
    ### END SOLUTION
