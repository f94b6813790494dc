# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 6 章 — ハイパーパラメータの検証 (§6.5): シャッフル、検証データの分割、ランダムサーチ。

Chapter 6 — validating hyperparameters (§6.5): shuffling, a validation split, random search.
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def shuffle_dataset(x: np.ndarray, t: np.ndarray,
                    rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """サンプルをシャッフル (§6.5.1): 最初の軸の同じ並べ替えを x と t の両方に。

    x は (N, D) か (N, C, H, W)、t は (N,) か (N, K)。(x[i], t[i]) の組は一緒のまま。新しい配列を
    返し、入力は変えません。rng: 並べ替えを引く乱数生成器 (None なら np.random.default_rng())。

    Shuffle the samples (§6.5.1): one permutation of the first axis applied to both x and t.

    x is (N, D) or (N, C, H, W); t is (N,) or (N, K). Pairs (x[i], t[i]) stay
    together. Returns new arrays; the inputs are not changed. rng: the generator
    to draw the permutation from (np.random.default_rng() when None).

    本との違い: 本の shuffle_dataset は np.random.permutation (グローバルな乱数) を使います。ここでは渡された rng
    から順列を引きます: 同じ seed で同じ並べ替えになるようにするためです。
    Differs from the book: The book's shuffle_dataset draws np.random.permutation from
    the global generator. Here draw the permutation from the rng you are given, so that
    one seed gives one order.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.shuffle_dataset (§6.5.1): shuffle_dataset を書きましょう / write shuffle_dataset")


def split_validation(x: np.ndarray, t: np.ndarray, validation_rate: float = 0.2,
                     rng: np.random.Generator | None = None):
    """訓練データから検証データを取り分けます (§6.5.1)。

    shuffle_dataset(x, t, rng) でシャッフルし、先頭の int(N · validation_rate) 個を検証データ、
    残りを訓練データに。load_digits と同じく ((x_train, t_train), (x_val, t_val)) を返します。

    Set aside validation data from training data (§6.5.1).

    Shuffle with shuffle_dataset(x, t, rng), then the first int(N · validation_rate)
    samples are the validation set and the rest the training set. Returns
    ((x_train, t_train), (x_val, t_val)), like load_digits.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.split_validation (§6.5.1): split_validation を書きましょう / write split_validation")


def random_search(train_fn: Callable[[float, float], float], trials: int = 100,
                  lr_exponent: tuple[float, float] = (-6, -2),
                  weight_decay_exponent: tuple[float, float] = (-8, -4),
                  rng: np.random.Generator | None = None) -> list[dict]:
    """学習率と Weight decay のランダムサーチ (§6.5.2, §6.5.3)。

    試行ごとに対数スケールで lr = 10 ** U(lr_exponent)、weight_decay = 10 ** U(weight_decay_exponent)
    (U は 2 つの指数の間の一様分布) を引き、val_acc = train_fn(lr, weight_decay) を呼びます。
    試行ごとに dict {'val_acc': ..., 'lr': ..., 'weight_decay': ...} を、val_acc のよい順に返します。
    rng: 乱数生成器 (None なら np.random.default_rng())。

    Random search for the learning rate and the weight decay (§6.5.2, §6.5.3).

    For each trial sample on a log scale, lr = 10 ** U(lr_exponent) and
    weight_decay = 10 ** U(weight_decay_exponent) (U uniform between the two
    exponents), and call val_acc = train_fn(lr, weight_decay). Returns one dict
    {'val_acc': ..., 'lr': ..., 'weight_decay': ...} per trial, best val_acc first.
    rng: the generator to sample from (np.random.default_rng() when None).

    本との違い: 本のスクリプトは np.random.uniform で引き、結果をその場で表示します。ここでは rng
    から引き、試行ごとの辞書を良い順に並べて返します: テストが値と順序を比べられるようにするためです。
    Differs from the book: The book's script draws with np.random.uniform and prints its
    results. Here draw from rng and return one dict per trial, best first, so that the
    tests can check the values and the order.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.random_search (§6.5.3): random_search を書きましょう / write random_search")
