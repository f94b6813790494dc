# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 6 章 — Batch Normalization の効果 (§6.3.2): 同じネットワークを BN あり・なしで。

本は深いネットワークをいろいろな重みの大きさから、BN なしと BN ありで学習させ、学習の速さを
比べます。ここでは数字画像で、数秒で終わる大きさにします。

Chapter 6 — what Batch Normalization buys (§6.3.2): the same net with and without it.

The book trains a deep net from many initial weight scales, once plain and once with
Batch Norm, and compares how fast each learns. Here on the digits, small enough
to run in a few seconds.
"""
from __future__ import annotations

import numpy as np

from ch06.multi_layer_net import MultiLayerNetExtend
from ch06.optimizer import SGD


def batch_norm_comparison(x: np.ndarray, t: np.ndarray, weight_scales: list[float],
                          hidden_size_list: list[int] = [50, 50, 50, 50, 50], max_epochs: int = 20,
                          batch_size: int = 100, lr: float = 0.01, seed: int = 0) -> list[dict]:
    """MultiLayerNetExtend(D, hidden_size_list, 10) を Batch Norm なしとありで学習させます (§6.3.2)。

    weight_scales の各 w と use_batchnorm=False, True のそれぞれで: np.random.seed(seed) を呼んで
    weight_init_std=w のネットワークを作り (2 つのネットワークは同じ W から始まります)、
    rng = np.random.default_rng(seed) を作り (同じミニバッチを見ます)、本と同じく 1 エポック
    (iter_per_epoch = max(N // batch_size, 1) 回の更新) に 1 度だけ認識精度を測ります
    (本の N / batch_size は float ですが、テストの N は batch_size の倍数なので同じです):
    i = 0, 1, 2, ... について batch = rng.choice(N, batch_size);
    SGD(lr).update(net.params, net.gradient(x[batch], t[batch])); i % iter_per_epoch == 0 なら
    net.accuracy(x, t) (訓練データ全体、テストモード) を記録し、max_epochs 個たまったら終わり。
    大きさごとに 1 つの辞書を順に返します: {'scale': w, 'plain': 認識精度, 'batchnorm': 認識精度}、
    どちらも長さ max_epochs の float の配列。

    Train MultiLayerNetExtend(D, hidden_size_list, 10) without and with Batch Norm (§6.3.2).

    For each w in weight_scales and each of use_batchnorm=False, True: call
    np.random.seed(seed) and build the net with weight_init_std=w (so both nets start
    from the same W), make rng = np.random.default_rng(seed) (so both see the same
    minibatches), and measure the accuracy once an epoch (iter_per_epoch =
    max(N // batch_size, 1) updates), as the book does (its N / batch_size is a float,
    the same here: the tests' N is a multiple of batch_size): for i = 0, 1, 2, ...:
    batch = rng.choice(N, batch_size); SGD(lr).update(net.params, net.gradient(x[batch], t[batch]));
    if i % iter_per_epoch == 0, record net.accuracy(x, t) (the whole training set, test
    mode), and stop once max_epochs are recorded.
    Returns one dict per scale, in order: {'scale': w, 'plain': accuracies,
    'batchnorm': accuracies}, each a float array of length max_epochs.

    本との違い: 本のスクリプト (batch_norm_test.py) は MNIST の 1000 枚、5 層 × 100、16 通りの重みの大きさ、20
    エポックで、バッチは np.random.choice から引きます。ここでは数字画像の 300 枚で小さく速くし、初期値は
    np.random.seed(seed)、バッチは rng から引きます: 数秒で終わり、BN あり・なしが同じ重みと同じバッチで比べられるようにするためです。
    Differs from the book: The book's script (batch_norm_test.py) uses 1000 MNIST
    images, 5 layers of 100, 16 weight scales and 20 epochs, with batches from
    np.random.choice. Here it is smaller (300 digits), the weights come after
    np.random.seed(seed) and the batches from rng: it runs in seconds, and both nets
    start from the same weights and see the same batches.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.batch_norm_compare (§6.3.2): batch_norm_comparison を書きましょう / write batch_norm_comparison")
