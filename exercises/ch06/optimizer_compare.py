# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 6 章 — f(x, y) = x²/20 + y² で各手法を並べて比べます (§6.1.7)。

この関数は x 方向に引き伸ばされていて勾配はほぼ y 方向を向くので、ただの SGD は谷を
ジグザグに横切り、他の手法は (0, 0) の最小値に向かいます。

Chapter 6 — the optimizers side by side on f(x, y) = x²/20 + y² (§6.1.7).

The function is stretched along x: its gradient points mostly along y, so plain
SGD zig-zags across the valley while the others head for the minimum at (0, 0).
"""
from __future__ import annotations

import numpy as np

from ch06.optimizer import SGD, AdaGrad, Adam, Momentum


def f(x: float, y: float) -> float:
    """f(x, y) = x²/20 + y²、本の細長いお椀 (§6.1.2)。

    f(x, y) = x²/20 + y², the book's elongated bowl (§6.1.2).
    """
    return x ** 2 / 20.0 + y ** 2


def df(x: float, y: float) -> tuple[float, float]:
    """f の勾配: (∂f/∂x, ∂f/∂y) = (x/10, 2y)。

    The gradient of f: (∂f/∂x, ∂f/∂y) = (x/10, 2y).
    """
    return x / 10.0, 2.0 * y


def optimizer_path(optimizer, init_pos: tuple[float, float] = (-7.0, 2.0),
                   steps: int = 30) -> np.ndarray:
    """init_pos から optimizer.update で f を最小化 (§6.1.7)。経路を形 (steps + 1, 2) で返します。

    params = {'x': x, 'y': y}、grads = {'x': ∂f/∂x, 'y': ∂f/∂y} (現在の点での df の勾配)。
    行 0 は init_pos、行 i は i 回目の更新のあとの位置。

    Minimise f with optimizer.update from init_pos (§6.1.7); returns the path, shape (steps + 1, 2).

    params = {'x': x, 'y': y} and grads = {'x': ∂f/∂x, 'y': ∂f/∂y} (gradient from df
    at the current point). Row 0 is init_pos, row i the position after update i.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch06.optimizer_path (§6.1.7): optimizer_path を書きましょう / write optimizer_path")


# The book's learning rates for this comparison (§6.1.7).
BOOK_OPTIMIZERS = {
    "SGD": lambda: SGD(lr=0.95),
    "Momentum": lambda: Momentum(lr=0.1),
    "AdaGrad": lambda: AdaGrad(lr=1.5),
    "Adam": lambda: Adam(lr=0.3),
}


def compare_optimizers(steps: int = 30, init_pos: tuple[float, float] = (-7.0, 2.0)) -> dict[str, np.ndarray]:
    """本の学習率での各手法の経路を名前ごとに (§6.1.7 の図のデータ)。

    Each optimizer's path with the book's learning rates, by name (the data of the §6.1.7 figure).
    """
    return {name: optimizer_path(make(), init_pos, steps) for name, make in BOOK_OPTIMIZERS.items()}

