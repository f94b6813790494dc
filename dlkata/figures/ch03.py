"""Chapter 3's figures, drawn with the learner's activation functions."""
from __future__ import annotations

import numpy as np

from dlkata.figures import Canvas, figure, words


@figure("ch03.activations", section="3.2", size=(10, 3.6),
        needs=["ch03.step_function", "ch03.sigmoid", "ch03.relu"],
        title={"ja": "活性化関数: ステップ・シグモイド・ReLU", "en": "Activation functions: step, sigmoid, ReLU"})
def activations(c: Canvas) -> None:
    from ch03.activation import relu, sigmoid, step_function

    x = np.arange(-5.0, 5.0, 0.01)
    left, right = c.subplots(1, 2)
    y = c.attempt(sigmoid, x, ax=left)
    if y is not None:
        left.plot(x, y, label="sigmoid(x)")
    y = c.attempt(step_function, x, ax=left)
    if y is not None:
        left.plot(x, y, "--", label="step_function(x)")
    left.set(xlim=(-5, 5), ylim=(-0.1, 1.1), xlabel="x", title=words("ステップ関数とシグモイド関数 (§3.2.5)", "step vs sigmoid (§3.2.5)"))
    y = c.attempt(relu, x, ax=right)
    if y is not None:
        right.plot(x, y, color="C2", label="relu(x)")
    right.set(xlim=(-5, 5), ylim=(-1, 5.5), xlabel="x", title="ReLU (§3.2.7)")
    for ax in (left, right):
        ax.axhline(0, color="#bbb", lw=0.8, zorder=0)
        ax.axvline(0, color="#bbb", lw=0.8, zorder=0)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left" if ax is left else "upper center")
        c.done(ax)
