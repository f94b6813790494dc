"""Tests for ch02/perceptron.py (§2.3–§2.5), grouped by kata."""
import numpy as np

import ch02.perceptron as mod
from ch02.perceptron import AND, NAND, OR, XOR, fit_perceptron, perceptron
from dlkata.testing import expect_equal, expect_true, expect_unchanged, kata, say

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TRUTH = {"AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}
GATES = {"AND": AND, "NAND": NAND, "OR": OR, "XOR": XOR}


@kata("ch02.perceptron")
class TestPerceptron:
    def test_fires_only_on_a_positive_sum(self):
        w = np.array([0.5, 0.5])
        expect_equal(perceptron(np.array([1, 1]), w, -0.7), 1, call="perceptron([1, 1], w=[0.5, 0.5], b=-0.7)")
        expect_equal(perceptron(np.array([1, 0]), w, -0.7), 0, call="perceptron([1, 0], w=[0.5, 0.5], b=-0.7)")
        expect_equal(perceptron(np.array([2.0, -1.0]), np.array([1.0, 3.0]), 0.5), 0,
                     call="perceptron([2, -1], w=[1, 3], b=0.5)",
                     note=("2 - 3 + 0.5 < 0 なので 0",
                           "2 - 3 + 0.5 < 0 gives 0"))

    def test_exactly_zero_gives_zero(self):
        expect_equal(perceptron(np.array([1.0, 1.0]), np.array([0.5, 0.5]), -1.0), 0,
                     call="perceptron([1, 1], w=[0.5, 0.5], b=-1.0)",
                     note=("w·x + b == 0 なら 0 を返します (§2.3)",
                           "w·x + b == 0 must give 0 (§2.3)"))
        expect_equal(perceptron(np.array([0, 0]), np.array([1.0, 1.0]), 0.0), 0,
                     call="perceptron([0, 0], w=[1, 1], b=0.0)",
                     note=("w·x + b == 0 なら 0 を返します",
                           "w·x + b == 0 must give 0"))

    def test_uses_every_weight(self):
        x = np.array([1.0, 2.0, 3.0])
        expect_equal(perceptron(x, np.array([0.0, 0.0, 1.0]), -2.9), 1, call="perceptron([1, 2, 3], w=[0, 0, 1], b=-2.9)")
        expect_equal(perceptron(x, np.array([1.0, 0.0, 0.0]), -1.1), 0, call="perceptron([1, 2, 3], w=[1, 0, 0], b=-1.1)")


@kata("ch02.gates")
class TestGates:
    def test_truth_tables(self):
        for name in ("AND", "NAND", "OR"):
            for (x1, x2), want in zip(INPUTS, TRUTH[name]):
                expect_equal(GATES[name](x1, x2), want, call=f"{name}({x1}, {x2})")
    # A gate may call perceptron() or compute its own w·x + b as the book does (§2.3.3).


@kata("ch02.xor")
class TestXor:
    def test_truth_table(self):
        for (x1, x2), want in zip(INPUTS, TRUTH["XOR"]):
            expect_equal(XOR(x1, x2), want, call=f"XOR({x1}, {x2})")

    def test_two_layers_of_gates(self, monkeypatch):
        seen = []
        for name in ("AND", "NAND", "OR"):
            real = getattr(mod, name)
            monkeypatch.setattr(mod, name, lambda a, b, _n=name, _f=real: seen.append((_n, a, b)) or _f(a, b))
        for x1, x2 in INPUTS:
            seen.clear()
            XOR(x1, x2)
            first = {n for n, *_ in seen[:-1]}
            expect_true(seen and seen[-1][0] == "AND" and first == {"NAND", "OR"}, call=f"XOR({x1}, {x2})",
                        note=("XOR は AND(NAND(x1, x2), OR(x1, x2)): ゲートを 2 層に重ねます (§2.5.2)",
                              "XOR must be AND(NAND(x1, x2), OR(x1, x2)): gates in two layers (§2.5.2)"),
                        actual=[n for n, *_ in seen], expected=["NAND", "OR", "AND"])
            if seen:
                expect_equal(seen[-1][1:], (NAND(x1, x2), OR(x1, x2)), call=f"XOR({x1}, {x2})",
                             note=("2 層目は 1 層目の出力を受け取ります",
                                   "the second layer gets the first layer's outputs"))


def _table(name):
    return np.array(INPUTS, dtype=float), np.array(TRUTH[name])


@kata("ch02.fit_perceptron")
class TestFitPerceptron:
    def test_learns_the_linear_gates(self):
        for name in ("AND", "NAND", "OR"):
            X, y = _table(name)
            w, b, converged = fit_perceptron(X, y, lr=0.1, max_epochs=100)
            expect_equal(converged, True, call=f"fit_perceptron({name} table, lr=0.1)[2]")
            got = [perceptron(x, w, b) for x in X]
            expect_equal(got, list(TRUTH[name]), call=say(f"各 x で perceptron(x, *fit_perceptron({name} の真理値表)[:2])", f"perceptron(x, *fit_perceptron({name} table)[:2]) for each x"))

    def test_xor_never_converges(self):
        X, y = _table("XOR")
        w, b, converged = fit_perceptron(X, y, lr=0.1, max_epochs=200)
        expect_equal(converged, False, call="fit_perceptron(XOR table, lr=0.1, max_epochs=200)[2]",
                     note=("XOR は 1 つのパーセプトロンでは分けられません (§2.4): 収束しなかったと報告しましょう",
                           "no single perceptron separates XOR (§2.4): it must report no convergence"))

    def test_first_epoch_by_hand(self):
        # AND table, lr=0.5: only (1, 1) is misclassified in epoch 1 -> w=[0.5, 0.5], b=0.5.
        X, y = _table("AND")
        w, b, converged = fit_perceptron(X, y, lr=0.5, max_epochs=1)
        expect_equal(converged, False, call="fit_perceptron(AND, lr=0.5, max_epochs=1)[2]")
        expect_equal(np.asarray(w).tolist(), [0.5, 0.5], call="fit_perceptron(AND, lr=0.5, max_epochs=1)[0]")
        expect_equal(float(b), 0.5, call="fit_perceptron(AND, lr=0.5, max_epochs=1)[1]")

    def test_leaves_inputs_alone_and_returns_floats(self):
        X, y = _table("OR")
        before = X.copy()
        w, b, _ = fit_perceptron(X.astype(int), y, lr=0.5, max_epochs=5)
        fit_perceptron(X, y, lr=0.5, max_epochs=5)
        expect_unchanged(X, before, call="fit_perceptron(X, y)",
        note=("X を変えてはいけません",
              "X must not change"), name="X")
        expect_true(np.asarray(w).dtype.kind == "f", call="fit_perceptron(integer X, y)[0]",
                    note=("X が整数でも w は浮動小数点数にします",
                          "w must be float even for integer X"), actual=np.asarray(w).dtype, expected="float64")
