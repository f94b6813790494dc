# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 2 章 — パーセプトロン: 重みつきの和としきい値、そしてそれで作る論理回路。

Chapter 2 — perceptrons: a weighted sum, a threshold, and the gates they make.
"""
from __future__ import annotations

import numpy as np


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> int:
    """1 つのパーセプトロン (§2.3.3): w·x + b <= 0 なら y = 0、そうでなければ 1。

    約束: ちょうど 0 なら 0 (本でも和が正のときだけ発火)。Python の int の 0 か 1 を返します。

    One perceptron (§2.3.3): y = 0 if w·x + b <= 0 else 1.

    Convention: exactly 0 gives 0 (the book fires only when the sum is positive).
    Returns the Python int 0 or 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.perceptron (§2.3.3): perceptron を書きましょう / write perceptron")


def AND(x1: int, x2: int) -> int:
    """1 つのパーセプトロンで作る AND ゲート (§2.3.3)。動けば重みとバイアスは自由。

    AND gate as one perceptron (§2.3.3); any weights and bias that make it work.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): AND を書きましょう / write AND")


def NAND(x1: int, x2: int) -> int:
    """1 つのパーセプトロンで作る NAND ゲート (§2.3.3): AND の符号をすべて反転すれば動きます。

    NAND gate as one perceptron (§2.3.3): AND with every sign flipped works.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): NAND を書きましょう / write NAND")


def OR(x1: int, x2: int) -> int:
    """1 つのパーセプトロンで作る OR ゲート (§2.3.3)。

    OR gate as one perceptron (§2.3.3).
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.gates (§2.3.3): OR を書きましょう / write OR")


def XOR(x1: int, x2: int) -> int:
    """2 層のパーセプトロンで作る XOR (§2.5.2): NAND(x1, x2) と OR(x1, x2) の AND。

    1 つのパーセプトロンではできない (§2.4) ので、上のゲートを組み合わせます。

    XOR as a two-layer perceptron (§2.5.2): AND of NAND(x1, x2) and OR(x1, x2).

    No single perceptron can do it (§2.4), so build it from the gates above.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.xor (§2.5.2): XOR を書きましょう / write XOR")


def fit_perceptron(X: np.ndarray, y: np.ndarray, lr: float = 0.1,
                   max_epochs: int = 100) -> tuple[np.ndarray, float, bool]:
    """パーセプトロンの学習規則で w と b を学習します 。(w, b, converged) を返します。

    w = 0, b = 0 から始め、サンプルを順に、予測 p = perceptron(x, w, b) で
    w += lr·(t − p)·x, b += lr·(t − p)。1 エポックまるごと間違いがなければ converged は True
    (そこで終了)。max_epochs 回で収束しなければ False。X は変えず、w は float。

    Learn w and b with the perceptron rule; returns (w, b, converged).

    Start from w = 0, b = 0. For each sample in order, with the prediction
    p = perceptron(x, w, b): w += lr·(t − p)·x and b += lr·(t − p).
    converged is True once a whole epoch makes no mistake (stop there);
    False if max_epochs pass without one. X is never modified; w is float.

    本との違い: 本書の先の内容です: 本はパーセプトロンの重みを人が決め、学習則のコードはありません。ここでは重みを学習する規則 (パーセプトロンの学習則) を書きます。
    Differs from the book: Beyond the book: the book sets a perceptron's weights by hand
    and has no code for learning them. Here you write the perceptron learning rule.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch02.fit_perceptron (§2.4): fit_perceptron を書きましょう / write fit_perceptron")
