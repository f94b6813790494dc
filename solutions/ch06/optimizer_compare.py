"""Chapter 6 — the optimizers side by side on f(x, y) = x²/20 + y² (§6.1.7).

The function is stretched along x: its gradient points mostly along y, so plain
SGD zig-zags across the valley while the others head for the minimum at (0, 0).
"""
from __future__ import annotations

import numpy as np

from ch06.optimizer import SGD, AdaGrad, Adam, Momentum


def f(x: float, y: float) -> float:
    """f(x, y) = x²/20 + y², the book's elongated bowl (§6.1.2)."""
    return x ** 2 / 20.0 + y ** 2


def df(x: float, y: float) -> tuple[float, float]:
    """The gradient of f: (∂f/∂x, ∂f/∂y) = (x/10, 2y)."""
    return x / 10.0, 2.0 * y


def optimizer_path(optimizer, init_pos: tuple[float, float] = (-7.0, 2.0),
                   steps: int = 30) -> np.ndarray:
    """Minimise f with optimizer.update from init_pos (§6.1.7); returns the path, shape (steps + 1, 2).

    params = {'x': x, 'y': y} and grads = {'x': ∂f/∂x, 'y': ∂f/∂y} (gradient from df
    at the current point). Row 0 is init_pos, row i the position after update i.
    """
    ### BEGIN SOLUTION
    params = {"x": float(init_pos[0]), "y": float(init_pos[1])}
    path = [(params["x"], params["y"])]
    for _ in range(steps):
        gx, gy = df(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
        path.append((params["x"], params["y"]))
    return np.array(path, dtype=np.float64)
    ### END SOLUTION


# The book's learning rates for this comparison (§6.1.7).
BOOK_OPTIMIZERS = {
    "SGD": lambda: SGD(lr=0.95),
    "Momentum": lambda: Momentum(lr=0.1),
    "AdaGrad": lambda: AdaGrad(lr=1.5),
    "Adam": lambda: Adam(lr=0.3),
}


def compare_optimizers(steps: int = 30, init_pos: tuple[float, float] = (-7.0, 2.0)) -> dict[str, np.ndarray]:
    """Each optimizer's path with the book's learning rates, by name (the data of the §6.1.7 figure)."""
    return {name: optimizer_path(make(), init_pos, steps) for name, make in BOOK_OPTIMIZERS.items()}

