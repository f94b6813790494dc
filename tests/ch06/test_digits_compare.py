"""Tests for ch06/digits_compare.py (§6.1.8, §6.2.4): the book's comparisons on the digits.

The slow tests rest on bench/ch06_compare_digits.py over seeds 0–7 (MultiLayerNet(64, [50]*4, 10),
batches of 128; the mean loss of the last 20 iterations): only what held for every seed is
asserted. The optimizers run 100 iterations (the others end at most at 0.37, SGD at least at
1.74: far apart already); the initial weights 150 (He against Xavier: at least 0.29 apart
at 150, 0.16 at 100).
"""
import numpy as np
import pytest

from ch06.digits_compare import compare_optimizers_digits, compare_weight_inits, train_losses
from ch06.multi_layer_net import MultiLayerNet
from ch06.optimizer import SGD, AdaGrad, Adam, Momentum
from dlkata.data import load_digits
from dlkata.testing import expect_close, expect_equal, expect_true, kata, rng
from tests.ch06.helpers import seeded_run

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _digits(n=None):
    (x, t), _ = load_digits()
    return (x, t) if n is None else (x[:n], t[:n])


class RecordingNet:
    """Softmax regression with the network interface; logs the batches it is given."""

    def __init__(self, d, k):
        self.params = {"W": 0.01 * rng(0).standard_normal((d, k)), "b": np.zeros(k)}
        self.batches = []

    def _probs(self, x):
        a = x @ self.params["W"] + self.params["b"]
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss(self, x, t):
        return float(-np.mean(np.log(self._probs(x)[np.arange(len(t)), t] + 1e-7)))

    def gradient(self, x, t):
        self.batches.append(np.array(t))
        dy = self._probs(x)
        dy[np.arange(len(t)), t] -= 1
        dy /= len(t)
        return {"W": x.T @ dy, "b": dy.sum(axis=0)}


def _trusted(x, t, make_net, make_opt, iters, batch_size, seed):
    """The stated protocol, our loop: the loss on each batch after the optimizer's update."""
    opt = make_opt()
    return seeded_run(make_net, lambda net, grads: opt.update(net.params, grads),
                      lambda net, batch: net.loss(x[batch], t[batch]), x, t, iters, batch_size, seed)


@kata("ch06.compare_optimizers_digits")
class TestCompareOptimizers:
    def test_train_losses(self):
        x, t = _digits(40)
        net = RecordingNet(64, 10)
        call = "train_losses(net, SGD(lr=0.5), x (40 digits), t, iters=5, batch_size=8, rng=rng(3))"
        got = train_losses(net, SGD(lr=0.5), x, t, 5, 8, rng(3))
        first_batch = t[rng(3).choice(40, 8)]
        expect_equal(len(net.batches), 5, call=call, note=("繰り返しごとに network.gradient を 1 回",
                                                           "network.gradient once per iteration"))
        if net.batches:
            expect_equal(net.batches[0], first_batch, call=call,
                         note=("最初のバッチは渡された rng の rng.choice(N, batch_size)",
                               "the first batch is rng.choice(N, batch_size) of the given rng"))
        expect_close(np.asarray(got), _trusted(x, t, lambda: RecordingNet(64, 10), lambda: SGD(lr=0.5), 5, 8, 3),
                     rtol=1e-12, call=call, note=("損失 i: その回の更新のあとの、バッチ i での network.loss",
                                                  "loss i: network.loss on batch i after that iteration's update"))

    def test_follows_the_protocol(self):
        x, t = _digits(60)
        call = "compare_optimizers_digits(x (60 digits), t, iters=3, batch_size=10, hidden_size_list=[6, 6], seed=2)"
        got = compare_optimizers_digits(x, t, iters=3, batch_size=10, hidden_size_list=[6, 6], seed=2)
        expect_equal(list(got), ["SGD", "Momentum", "AdaGrad", "Adam"], call=f"list({call})",
                     note=("§6.1.8 の 4 つの手法を、この順に",
                           "the four optimizers of §6.1.8, in this order"))
        for name, make in (("SGD", SGD), ("Momentum", Momentum), ("AdaGrad", AdaGrad), ("Adam", Adam)):
            want = _trusted(x, t, lambda: MultiLayerNet(64, [6, 6], 10), make, 3, 10, 2)
            expect_close(np.asarray(got.get(name)), want, rtol=1e-12, call=f"{call}['{name}']",
                         note=("np.random.seed(seed) のあとにネットワーク、最適化手法は既定の引数、バッチは np.random.default_rng(seed) から",
                               "np.random.seed(seed) then the net; default arguments for the optimizer; "
                              "batches from np.random.default_rng(seed)"))

    @pytest.mark.slow
    def test_sgd_is_the_slowest(self):
        x, t = _digits()
        call = "compare_optimizers_digits(x_train (1437 digits), t_train, iters=100, seed=0)"
        got = compare_optimizers_digits(x, t, iters=100, seed=0)
        end = {name: float(np.mean(np.asarray(c)[-20:])) for name, c in got.items()}
        for name in ("Momentum", "AdaGrad", "Adam"):
            expect_true(end[name] < end["SGD"] / 2, call=call,
                        note=(f"100 回のあと {name} の損失 (最後の 20 回) は SGD の半分より下 (8 つの seed で SGD は 1.74–2.08、ほかは 0.10–0.37)",
                              f"after 100 iterations {name}'s loss (last 20) is below half of SGD's "
                             "(over 8 seeds SGD ends at 1.74–2.08, the others at 0.10–0.37)"),
                        actual={name: end[name], "SGD": end["SGD"]}, expected=f"{name} < SGD / 2")


@kata("ch06.compare_weight_inits")
class TestCompareWeightInits:
    def test_follows_the_protocol(self):
        x, t = _digits(60)
        call = "compare_weight_inits(x (60 digits), t, iters=3, batch_size=10, hidden_size_list=[6, 6], lr=0.1, seed=4)"
        got = compare_weight_inits(x, t, iters=3, batch_size=10, hidden_size_list=[6, 6], lr=0.1, seed=4)
        expect_equal(list(got), ["std=0.01", "Xavier", "He"], call=f"list({call})",
                     note=("§6.2.4 の 3 つの初期値を、この順に",
                           "the three initial scales of §6.2.4, in this order"))
        for name, scale in (("std=0.01", 0.01), ("Xavier", "sigmoid"), ("He", "relu")):
            want = _trusted(x, t, lambda: MultiLayerNet(64, [6, 6], 10, weight_init_std=scale),
                            lambda: SGD(lr=0.1), 3, 10, 4)
            expect_close(np.asarray(got.get(name)), want, rtol=1e-12, call=f"{call}['{name}']",
                         note=("np.random.seed(seed)、MultiLayerNet(..., weight_init_std=...)、SGD(lr)、バッチは np.random.default_rng(seed) から",
                               "np.random.seed(seed), MultiLayerNet(..., weight_init_std=...), SGD(lr), "
                              "batches from np.random.default_rng(seed)"))

    @pytest.mark.slow
    def test_std_001_does_not_learn_and_he_leads(self):
        x, t = _digits()
        call = "compare_weight_inits(x_train (1437 digits), t_train, iters=150, seed=0)"
        got = compare_weight_inits(x, t, iters=150, seed=0)
        end = {name: float(np.mean(np.asarray(c)[-20:])) for name, c in got.items()}
        expect_true(end["std=0.01"] > 2.2, call=f"{call}['std=0.01']",
                    note=("標準偏差 0.01: 信号が層を通るうちに消え、損失は log 10 ≈ 2.30 のまま (本と同じ、§6.2.4)",
                          "std 0.01: the signal vanishes through the layers and the loss stays at log 10 ≈ 2.30 "
                         "(as in the book, §6.2.4)"), actual=end["std=0.01"], expected="> 2.2")
        expect_true(end["He"] < end["Xavier"], call=call,
                    note=("ReLU では He の初期値のほうが Xavier より速く学習します (8 つの seed すべてで: He 1.35–1.91、Xavier 2.20–2.26)",
                          "with ReLU, He's initial weights learn faster than Xavier's (every one of 8 seeds: "
                          "He 1.35–1.91, Xavier 2.20–2.26)"),
                    actual={"He": end["He"], "Xavier": end["Xavier"]}, expected="He < Xavier")
