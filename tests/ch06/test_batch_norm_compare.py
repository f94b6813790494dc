"""Tests for ch06/batch_norm_compare.py (§6.3.2): the same net with and without Batch Norm.

The figures behind the slow test are measured by bench/ch06_batchnorm.py over seeds 0–7
(300 digits, MultiLayerNetExtend(64, [50]*5, 10), SGD lr 0.01, batches of 100, 34 epochs of
3 updates, the last accuracy after update 100): only what held for every seed is asserted.
"""
import numpy as np
import pytest

from ch06.batch_norm_compare import batch_norm_comparison
from ch06.multi_layer_net import MultiLayerNetExtend
from dlkata.data import load_digits
from dlkata.testing import expect_close, expect_equal, expect_true, kata, say
from tests.ch06.helpers import seeded_run

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _digits(n):
    (x, t), _ = load_digits()
    return x[:n], t[:n]


def _trusted_run(x, t, scale, use_bn, hidden, max_epochs, batch_size, lr, seed):
    """The stated protocol with the trusted update p -= lr·g (the learner's net, our loop):
    the accuracy after update i when i % iter_per_epoch == 0, max_epochs times."""
    def update(net, grads):
        params = net.params     # one crossing per update under the sandbox, not one per key
        for key in params:
            params[key] -= lr * grads[key]
    per_epoch = max(x.shape[0] // batch_size, 1)
    return seeded_run(lambda: MultiLayerNetExtend(x.shape[1], hidden, 10, weight_init_std=scale, use_batchnorm=use_bn),
                      update, lambda net, batch: net.accuracy(x, t), x, t, (max_epochs - 1) * per_epoch + 1,
                      batch_size, seed, every=per_epoch)


@kata("ch06.batch_norm_compare")
class TestBatchNormCompare:
    def test_follows_the_protocol(self):
        x, t = _digits(60)
        call = "batch_norm_comparison(x (60 digits), t, [0.1, 0.01], hidden_size_list=[8, 8], max_epochs=3, batch_size=20, lr=0.1, seed=3)"
        got = batch_norm_comparison(x, t, [0.1, 0.01], hidden_size_list=[8, 8], max_epochs=3, batch_size=20, lr=0.1, seed=3)
        expect_equal([r.get("scale") for r in got], [0.1, 0.01], call=f"[r['scale'] for r in {call}]",
                      note=("重みの大きさごとに辞書 1 つ、順番どおり",
                            "one dict per weight scale, in order"))
        for r in got:
            for key, bn in (("plain", False), ("batchnorm", True)):
                expect_equal(len(np.atleast_1d(r.get(key))), 3, call=say(f"len({call}: 重みの大きさ {r['scale']}、'{key}')", f"len({call}: scale {r['scale']}, '{key}')"),
                             note=("1 エポック (N // batch_size 回の更新) に 1 つ、max_epochs 個", "one per epoch (N // batch_size updates), max_epochs of them"))
                want = _trusted_run(x, t, r["scale"], bn, [8, 8], 3, 20, 0.1, 3)
                expect_close(np.asarray(r.get(key)), want, rtol=1e-12, atol=1e-12,
                             call=f"{call}: scale {r['scale']}, '{key}'",
                             note=("np.random.seed(seed) のあとにネットワーク、バッチは np.random.default_rng(seed) の rng.choice(N, batch_size)、SGD(lr)、"
                                   "更新 i (0 から) のあと i % (N // batch_size) == 0 なら net.accuracy(x, t)、max_epochs 回 (ここでは 60 // 20 = 3 回の更新に 1 度)",
                                   "after np.random.seed(seed): the net; batches rng.choice(N, batch_size) from "
                                  "np.random.default_rng(seed); SGD(lr); after update i (from 0), if i % (N // batch_size) == 0, "
                                  "net.accuracy(x, t), max_epochs times (here once every 60 // 20 = 3 updates)"))

    @pytest.mark.slow
    def test_batch_norm_depends_less_on_the_initial_weights(self):
        x, t = _digits(300)
        scales = [0.3, 0.03, 0.001]
        call = "batch_norm_comparison(x (300 digits), t, [0.3, 0.03, 0.001], max_epochs=34, lr=0.01, seed=0)"
        got = batch_norm_comparison(x, t, scales, max_epochs=34, lr=0.01, seed=0)
        final = {(r["scale"], key): float(np.asarray(r[key])[-1]) for r in got for key in ("plain", "batchnorm")}
        for w in (0.03, 0.001):
            expect_true(final[(w, "plain")] <= 0.2, call=say(f"{call}: 重みの大きさ {w}、BN なし", f"{call}: scale {w}, plain"),
                        note=("初期値が小さすぎると、Batch Norm なしのネットワークは学習しません (8 つの seed で 0.11–0.12: あてずっぽう)",
                              "too small initial weights: without Batch Norm the net does not learn "
                             "(0.11–0.12 over 8 seeds: chance)"), actual=final[(w, "plain")], expected="≤ 0.2")
            expect_true(final[(w, "batchnorm")] >= 0.5, call=say(f"{call}: 重みの大きさ {w}、BN あり", f"{call}: scale {w}, batchnorm"),
                        note=("同じ重みから、Batch Norm ありなら学習します (8 つの seed で 0.61–0.99)",
                              "from the same weights, with Batch Norm it learns (0.61–0.99 over 8 seeds)"),
                        actual=final[(w, "batchnorm")], expected="≥ 0.5")
        expect_true(final[(0.3, "plain")] >= 0.7, call=say(f"{call}: 重みの大きさ 0.3、BN なし", f"{call}: scale 0.3, plain"),
                    note=("適切な大きさ (He の 0.18 に近い) なら BN なしでも学習します (8 つの seed で 0.80–0.90、ここでは BN より先を行きます): Batch Norm の利点は初期値の大きさに左右されにくいこと",
                          "with a good scale (near He's 0.18) the plain net learns too (0.80–0.90 over 8 seeds; "
                         "here it is even ahead of Batch Norm): Batch Norm's gain is robustness to the scale"),
                    actual=final[(0.3, "plain")], expected="≥ 0.7")
        spread = {key: max(final[(w, key)] for w in scales) - min(final[(w, key)] for w in scales)
                  for key in ("plain", "batchnorm")}
        expect_true(spread["batchnorm"] < spread["plain"], call=call,
                    note=("最後の認識精度の、重みの大きさによるばらつき (最大 − 最小) は Batch Norm ありのほうが小さい",
                          "the final accuracy varies less across the scales with Batch Norm (max − min)"),
                    actual=spread, expected="batchnorm < plain")
