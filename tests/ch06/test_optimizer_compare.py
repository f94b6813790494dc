"""Tests for ch06/optimizer_compare.py (§6.1.7): the four optimizers on f(x, y) = x²/20 + y²."""
import numpy as np
import pytest

from ch06.optimizer import SGD
from ch06.optimizer_compare import compare_optimizers, f, optimizer_path
from dlkata.testing import expect_close, expect_equal, expect_true, kata, say

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

# Position after 30 updates from (-7, 2) with the book's learning rates (recomputed).
END_POINTS = {
    "SGD": (-0.350392995752, 0.08478231655),
    "Momentum": (0.896413858494, 0.088085601715),
    "AdaGrad": (-0.1201623223142, 2.486389893984e-17),
    "Adam": (0.136006852395, 0.318245375537),
}


class Recorder:
    """A trusted optimizer (plain SGD) that remembers what it was given."""

    def __init__(self, lr):
        self.lr = lr
        self.seen = []

    def update(self, params, grads):
        self.seen.append(((float(params["x"]), float(params["y"])), (float(grads["x"]), float(grads["y"]))))
        for key in params:
            params[key] -= self.lr * grads[key]


@kata("ch06.optimizer_path")
class TestOptimizerPath:
    def test_path_rows(self):
        rec = Recorder(lr=0.5)
        path = optimizer_path(rec, init_pos=(4.0, -1.0), steps=3)
        # SGD with lr 0.5: x ← x − 0.5·x/10 = 0.95x, y ← y − 0.5·2y = 0
        want = [[4.0, -1.0], [3.8, 0.0], [3.61, 0.0], [3.4295, 0.0]]
        expect_close(path, want, call="optimizer_path(SGD-like lr=0.5, init_pos=(4, -1), steps=3)",
                     note=("行 0 は出発点、行 i は i 回目の更新のあとの位置: 形は (steps + 1, 2)",
                           "row 0 is the start, row i the position after update i: shape (steps + 1, 2)"))

    def test_gradient_at_the_current_point(self):
        rec = Recorder(lr=0.3)
        optimizer_path(rec, init_pos=(-7.0, 2.0), steps=4)
        expect_equal(len(rec.seen), 4, call="optimizer_path(opt, steps=4)",
        note=("opt.update の呼び出し",
              "calls to opt.update"))
        for i, ((x, y), (gx, gy)) in enumerate(rec.seen):
            expect_close([gx, gy], [x / 10.0, 2.0 * y], call=say(f"optimizer_path(opt): {i + 1} 回目の update に渡した grads", f"optimizer_path(opt): grads given to update {i + 1}"),
                         note=("grads は現在の位置での (x/10, 2y)、キーは 'x' と 'y'",
                               "grads must be (x/10, 2y) at the current position, keys 'x' and 'y'"))

    def test_book_comparison_end_points(self):
        paths = compare_optimizers()
        for name, end in END_POINTS.items():
            expect_equal(np.shape(paths[name]), (31, 2), call=f"compare_optimizers()['{name}'].shape")
            expect_close(paths[name][-1], end, rtol=1e-6, atol=1e-12,
                         call=f"compare_optimizers()['{name}'][-1]",
                         note=("(-7, 2) から 30 回更新したあとの位置",
                               "position after 30 updates from (-7, 2)"))

    def test_what_the_figure_shows(self):
        paths = compare_optimizers()
        y = paths["SGD"][:, 1]
        expect_true(np.all(np.sign(y[1:]) == -np.sign(y[:-1])), call="compare_optimizers()['SGD'][:, 1]",
                    note=("SGD はジグザグに進みます: y の符号が毎回変わります",
                          "SGD zig-zags: y changes sign at every step"), actual=y[:6])
        ends = {name: f(*p[-1]) for name, p in paths.items()}
        best = min(ends, key=ends.get)
        expect_equal(best, "AdaGrad", call=say("各手法の f(*path[-1]) の最小", "min(f(*path[-1]) for each optimizer)"),
                     note=("4 つのうち AdaGrad が最も低い所で終わります (30 ステップ後の f)",
                           "AdaGrad ends lowest of the four (f after 30 steps)"))
        for name, p in paths.items():
            expect_true(f(*p[-1]) < f(-7.0, 2.0), call=f"f(*compare_optimizers()['{name}'][-1])",
                        note=("どの手法も出発点より低い所で終わるはずです",
                              "every optimizer must end lower than it started"), actual=f(*p[-1]))

    def test_float_params_with_book_sgd(self):
        path = optimizer_path(SGD(lr=0.95), steps=2)
        expect_close(path, [[-7.0, 2.0], [-6.335, -1.8], [-5.733175, 1.62]],
                     call="optimizer_path(SGD(lr=0.95), steps=2)")
