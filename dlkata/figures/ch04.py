"""Chapter 4's figures: the gradient of x0² + x1² and gradient descent, with the learner's gradients."""
from __future__ import annotations

import numpy as np

from dlkata.figures import Canvas, figure, words


def bowl(x: np.ndarray) -> float:
    """f(x0, x1) = x0² + x1² (§4.4)."""
    return float(np.sum(x ** 2))


def _contours(ax, lim: float) -> None:
    g = np.linspace(-lim, lim, 201)
    X, Y = np.meshgrid(g, g)
    ax.contour(X, Y, X ** 2 + Y ** 2, levels=[0.5, 2, 4.5, 8, 12.5, 18, 24.5], colors="#ccc",
               linestyles="--", linewidths=0.8)


@figure("ch04.gradient_descent", section="4.4", size=(13, 4.2),
        needs=["ch04.numerical_gradient", "ch04.gradient_descent"],
        title={"ja": "x0² + x1² の勾配と勾配降下法", "en": "The gradient of x0² + x1² and gradient descent"})
def gradient_descent_figure(c: Canvas) -> None:
    from ch04.gradient import gradient_descent, numerical_gradient

    field_ax, path_ax, lr_ax = c.subplots(1, 3)

    # §4.4: the negative gradient at each point of a grid points to the minimum.
    g = np.arange(-2.0, 2.5, 0.25)
    pts = [(a, b) for b in g for a in g]
    grads = []
    for a, b in pts:
        d = c.attempt(numerical_gradient, bowl, np.array([a, b]), ax=field_ax)
        if d is None:
            break
        grads.append(np.asarray(d, dtype=float))
    if len(grads) == len(pts):
        P, G = np.array(pts), np.array(grads)
        field_ax.quiver(P[:, 0], P[:, 1], -G[:, 0], -G[:, 1], angles="xy", color="#555")
    field_ax.set(xlim=(-2.2, 2.2), ylim=(-2.2, 2.2), xlabel="x0", ylabel="x1", aspect="equal",
                 title="-numerical_gradient(f, x)")
    c.done(field_ax)

    # §4.4.1: one step of gradient_descent at a time, from (-3, 4) with lr = 0.1.
    def path(lr: float, steps: int) -> np.ndarray:
        xs = [np.array([-3.0, 4.0])]
        for _ in range(steps):
            xs.append(np.array(gradient_descent(bowl, xs[-1].copy(), lr=lr, step_num=1), dtype=float))
        return np.array(xs)

    xs = c.attempt(path, 0.1, 20, ax=path_ax)
    _contours(path_ax, 5)
    if xs is not None:
        path_ax.plot(xs[:, 0], xs[:, 1], "o-", ms=4, color="C0")
        path_ax.plot(0, 0, "+", ms=12, color="k")
    path_ax.set(xlim=(-3.5, 3.5), ylim=(-4.5, 4.5), xlabel="x0", ylabel="x1", aspect="equal",
                title=words("(-3, 4) から 20 ステップ、lr=0.1", "20 steps from (-3, 4), lr=0.1"))
    c.done(path_ax)

    # §4.4.1: the learning rate decides: too small crawls, too large overshoots, larger still diverges.
    rates = ((0.01, "C1", words("小さすぎ", "too small")), (0.1, "C0", ""),
             (0.95, "C2", words("行き過ぎ", "overshoots")), (1.05, "C3", words("発散", "diverges")))
    for lr, colour, note in rates:
        xs = c.attempt(path, lr, 30, ax=lr_ax)
        if xs is None:
            break
        x0 = xs[:, 0]
        out = np.flatnonzero(np.abs(x0) > 6)
        x0 = x0[: out[0] + 1] if out.size else x0   # a diverging run stops where it leaves the plot
        lr_ax.plot(x0, "o-", ms=2.5, lw=1, color=colour, label=f"lr={lr}" + (f" ({note})" if note else ""))
    if id(lr_ax) in c.drawn:
        lr_ax.legend(fontsize=8, loc="lower right")
    lr_ax.axhline(0, color="k", lw=0.8)
    lr_ax.set(ylim=(-6, 6), xlabel=words("ステップ", "step"), ylabel="x0",
               title=words("学習率ごとの各ステップのあとの x0", "x0 after each step, by learning rate"))
    lr_ax.grid(alpha=0.3)
    c.done(lr_ax)
