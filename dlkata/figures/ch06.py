"""Chapter 6's figures, drawn with the learner's optimizers."""
from __future__ import annotations

import numpy as np

from . import Canvas, figure


@figure("ch06.optimizer_paths", section="6.1.7", size=(10, 7.5),
        needs=["ch06.sgd", "ch06.momentum", "ch06.adagrad", "ch06.adam"],
        title={"ja": "f(x, y) = x²/20 + y² 上の各手法の経路", "en": "Each optimizer's path on f(x, y) = x²/20 + y²"})
def optimizer_paths(c: Canvas) -> None:
    from ch06.optimizer import SGD, AdaGrad, Adam, Momentum

    # The book's comparison: 30 updates from (-7, 2), with its learning rates.
    runs = [("SGD", SGD, 0.95), ("Momentum", Momentum, 0.1), ("AdaGrad", AdaGrad, 1.5), ("Adam", Adam, 0.3)]
    X, Y = np.meshgrid(np.linspace(-10, 10, 201), np.linspace(-5, 5, 101))
    Z = X ** 2 / 20.0 + Y ** 2

    def path(cls, lr: float) -> np.ndarray:
        opt = cls(lr=lr)
        params = {"x": -7.0, "y": 2.0}        # plain floats, as in the book
        xs = [(params["x"], params["y"])]
        for _ in range(30):
            grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
            opt.update(params, grads)
            xs.append((float(params["x"]), float(params["y"])))
        return np.array(xs)

    for ax, (name, cls, lr) in zip(c.subplots(2, 2).flat, runs):
        ax.contour(X, Y, Z, levels=[0.25, 0.5, 1, 2, 3, 4, 5], colors="#ccc", linewidths=0.8)
        xs = c.attempt(path, cls, lr, ax=ax)
        if xs is not None:
            ax.plot(xs[:, 0], xs[:, 1], "o-", ms=3, color="C3")
            ax.text(0.98, 0.04, f"end ({xs[-1, 0]:.2f}, {xs[-1, 1]:.2f})", transform=ax.transAxes,
                    ha="right", fontsize=8, color="#555")
        ax.plot(0, 0, "+", ms=12, color="k")
        ax.set(xlim=(-10, 10), ylim=(-5, 5), xlabel="x", ylabel="y", title=f"{name}(lr={lr})")
        c.done(ax)
