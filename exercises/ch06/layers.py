# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 6 章 — 学習を助けるレイヤ: Batch Normalization (§6.3) と Dropout (§6.4.3)。

第 5 章と同じ書き方: forward(x, train_flg) は backward に必要なものを保存し、backward(dout) は
x についての勾配を返します。どちらも学習時 (train_flg=True) とテスト時 (train_flg=False) で
動きが違います。

Chapter 6 — layers that help training: Batch Normalization (§6.3) and Dropout (§6.4.3).

Same idiom as chapter 5: forward(x, train_flg) keeps what backward needs and
backward(dout) returns the gradient with respect to x. Both layers behave
differently while training (train_flg=True) and when testing (train_flg=False).
"""
from __future__ import annotations

import numpy as np


class BatchNormalization:
    """Batch Normalization (§6.3.1, arXiv:1502.03167)、各活性化についてバッチ方向に。

    学習時: μ = x の平均、σ² = (x − μ)² の平均 (標本分散)、x̂ = (x − μ)/√(σ² + 1e-6)、
    out = γ·x̂ + β。そのあと平均と分散について running ← momentum·running + (1 − momentum)·batch
    (どちらも初期値は 0)。テスト時: バッチのものの代わりに移動平均の平均と分散で同じ計算。
    3 次元以上の入力は (N, −1) に変形し、出力は x の形に戻します。backward は dgamma, dbeta を
    保存し、(x̂, μ, σ² を通した) dx を返します。

    Batch Normalization (§6.3.1, arXiv:1502.03167), per activation over the batch.

    Training: μ = mean_n x, σ² = mean_n (x − μ)² (biased), x̂ = (x − μ)/√(σ² + 1e-6),
    out = γ·x̂ + β; then running ← momentum·running + (1 − momentum)·batch for the
    mean and the variance (both start at zeros). Testing: the same with the running
    mean and variance instead of the batch's. Input of more than 2 dimensions is
    reshaped to (N, −1) and the output gets x's shape back. backward stores
    dgamma, dbeta and returns dx (through x̂, μ and σ²).
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, momentum: float = 0.9,
                 running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None) -> None:
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None
        # running statistics, used when testing
        self.running_mean = running_mean
        self.running_var = running_var
        # what backward needs
        self.batch_size = None
        self.xc = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch06.batch_norm (§6.3.1): BatchNormalization.forward を書きましょう / write BatchNormalization.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch06.batch_norm (§6.3.1): BatchNormalization.backward を書きましょう / write BatchNormalization.backward")


class Dropout:
    """Dropout (§6.4.3, arXiv:1207.0580)、本と同じ (inverted でない) 形。

    学習時: mask = np.random.rand(*x.shape) > dropout_ratio (呼ぶたびに NumPy の大域的な乱数で
    新しい mask)、out = x·mask: 各ユニットは確率 dropout_ratio で消去。テスト時:
    out = x·(1 − dropout_ratio)、mask なし。backward は dout·mask を返します。

    Dropout (§6.4.3, arXiv:1207.0580), the book's non-inverted form.

    Training: mask = np.random.rand(*x.shape) > dropout_ratio (a new mask each call,
    from NumPy's global generator); out = x·mask, so each unit is dropped with
    probability dropout_ratio. Testing: out = x·(1 − dropout_ratio), no mask.
    backward returns dout·mask.
    """

    def __init__(self, dropout_ratio: float = 0.5) -> None:
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch06.dropout (§6.4.3): Dropout.forward を書きましょう / write Dropout.forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("ch06.dropout (§6.4.3): Dropout.backward を書きましょう / write Dropout.backward")
