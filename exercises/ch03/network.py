# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 3 章 — 順方向の計算: 手で作る 3 層ネットワーク (§3.4.3) とバッチ処理の推論 (§3.6)。

Chapter 3 — forward passes: the hand-built three-layer network (§3.4.3) and batched inference (§3.6).
"""
from __future__ import annotations

import numpy as np

from ch03.activation import identity_function, sigmoid, softmax


def init_network() -> dict[str, np.ndarray]:
    """§3.4.3 の 3 層ネットワークを float 配列 'W1', 'b1', 'W2', 'b2', 'W3', 'b3' の dict で。

    値は英語の説明のとおり。Wk の形は (入力数, 出力数)、バイアスは 1 次元。

    The three-layer network of §3.4.3 as a dict of float arrays 'W1', 'b1', 'W2', 'b2', 'W3', 'b3'.

    W1 = [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], b1 = [0.1, 0.2, 0.3];
    W2 = [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], b2 = [0.1, 0.2];
    W3 = [[0.1, 0.3], [0.2, 0.4]], b3 = [0.1, 0.2].
    Wk has shape (inputs, outputs); the biases are 1-D.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.init_network (§3.4.3): init_network を書きましょう / write init_network")


def forward(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """§3.4.3 の順方向の計算: z1 = sigmoid(x·W1 + b1), z2 = sigmoid(z1·W2 + b2), y = identity(z2·W3 + b3)。

    ch03.activation の sigmoid と identity_function を使います。x はサンプル 1 個 (D,) か
    バッチ (N, D)。§3.4.3 のネットワークなら出力の形は (2,) か (N, 2)。

    Forward pass of §3.4.3: z1 = sigmoid(x·W1 + b1), z2 = sigmoid(z1·W2 + b2), y = identity(z2·W3 + b3).

    Use sigmoid and identity_function from ch03.activation. x is one sample (D,)
    or a batch (N, D); the output has shape (2,) or (N, 2) for the §3.4.3 network.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.forward (§3.4.3): forward を書きましょう / write forward")


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """§3.6.2–§3.6.3 の推論: y = softmax(sigmoid(sigmoid(x·W1 + b1)·W2 + b2)·W3 + b3)。

    ch03.activation の sigmoid と softmax を使います。バッチ x (N, D) からクラスの確率 (N, K)
    (サンプルごとに 1 行)、サンプル 1 個 (D,) なら (K,)。

    Inference of §3.6.2–§3.6.3: y = softmax(sigmoid(sigmoid(x·W1 + b1)·W2 + b2)·W3 + b3).

    Use sigmoid and softmax from ch03.activation. x is a batch (N, D) and gives
    class probabilities (N, K), one row per sample; one sample (D,) gives (K,).
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.predict (§3.6.2): predict を書きましょう / write predict")


def accuracy(network: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
    """データ全体での認識精度をバッチごとに (§3.6.3): predict の argmax がラベルと一致するサンプルの割合。

    i = 0, batch_size, 2·batch_size, … について predict(network, x[i:i + batch_size]) を呼びます。
    最後のバッチは短くてもよく、どのサンプルもちょうど 1 回数えます。t は本の get_data() と
    同じくクラス番号 (N,) (模範解答は one-hot の行も受け付けます)。[0, 1] の float を返します。

    Accuracy over a data set, batch by batch (§3.6.3): the fraction of samples with argmax predict == label.

    Call predict(network, x[i:i + batch_size]) for i = 0, batch_size, 2·batch_size, …;
    the last batch may be shorter, and every sample counts exactly once. t holds
    class indices (N,), as the book's get_data() gives them (the reference also takes
    one-hot rows). Returns a float in [0, 1].
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch03.accuracy (§3.6.3): accuracy を書きましょう / write accuracy")
