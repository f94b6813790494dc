"""Tests for ch05/train.py (§5.7.4): training with backpropagation, and its speed against §4.5's."""
import time

import numpy as np
import pytest

from ch05.train import gradient_speed, train_backprop
from ch05.two_layer_net import TwoLayerNet
from dlkata.testing import expect_close, expect_equal, expect_true, kata, portable, rng
from tests.ch04.helpers import TinyNet, blobs, expect_sgd_run


@portable
class BackpropNet(TinyNet):
    """TinyNet whose gradient comes from gradient(); numerical_gradient must not be used."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.numerical_calls = 0

    def gradient(self, x, t):
        self.grad_calls.append((np.array(x), np.array(t), {k: v.copy() for k, v in self.params.items()}))
        return self.gradient_of(self.params, x, t)

    def numerical_gradient(self, x, t):
        self.numerical_calls += 1
        return self.gradient_of(self.params, x, t)


@kata("ch05.train_backprop")
class TestTrainBackprop:
    def test_each_iteration(self):
        (x_train, t_train), (x_test, t_test) = blobs(32, 2), blobs(12, 3)
        net = BackpropNet(4, 3, seed=1)
        arrays = dict(net.params)
        lr, iters = 0.5, 14
        call = f"train_backprop(net, x_train (32, 4), ..., iters_num={iters}, batch_size=5, lr={lr}, rng=rng)"
        losses, train_acc, test_acc = train_backprop(net, x_train, t_train, x_test, t_test,
                                                     iters_num=iters, batch_size=5, lr=lr, rng=rng(4))
        expect_equal((len(net.grad_calls), net.numerical_calls), (iters, 0), call=call,
                     note=("(network.gradient の呼び出し回数, network.numerical_gradient の呼び出し回数): 誤差逆伝播法を繰り返しごとに 1 回、数値微分は使いません",
                           "(network.gradient calls, network.numerical_gradient calls): backpropagation once "
                          "per iteration, never the numerical gradient"))
        expect_true(all(net.params[k] is arrays[k] for k in arrays), call=call,
                    note=("params[key] -= lr * grads[key] で更新: 同じ配列をその場で変えます",
                          "update with params[key] -= lr * grads[key]: the same arrays, changed in place"))
        if len(net.grad_calls) == iters:
            expect_sgd_run(net, lr, (losses, train_acc, test_acc), (x_train, t_train, x_test, t_test), call)

    def test_batches_from_sample_batch(self):
        (x_train, t_train), (x_test, t_test) = blobs(20, 5), blobs(10, 6)
        runs = []
        for _ in range(2):
            net = BackpropNet(4, 3, seed=2)
            train_backprop(net, x_train, t_train, x_test, t_test, iters_num=4, batch_size=30, lr=0.3, rng=rng(9))
            runs.append(net.grad_calls)
        call = "train_backprop(net, x_train (20 samples), ..., iters_num=4, batch_size=30, lr=0.3, rng=rng(9))"
        expect_equal([c[0].shape for c in runs[0]], [(30, 4)] * 4, call=call,
                     note=("バッチは batch_size 行、重複ありで引きます (データより多くても)",
                           "batches of batch_size rows drawn with replacement (even more than the data)"))
        expect_true(all(np.array_equal(a[0], b[0]) for a, b in zip(*runs)) and len(runs[0]) == 4,
                    call=f"{call} twice", note=("バッチは sample_batch(..., rng) から: 同じ seed なら同じ学習",
                                                "batches come from sample_batch(..., rng): one seed, one run"))

    @pytest.mark.slow
    def test_learns_the_digits(self):
        # bench/ch05_digits.py --iters 1000: test accuracy 0.958–0.972 over seeds 0–7, about 0.6 s.
        from dlkata.data import load_digits

        (x, t), (x_test, t_test) = load_digits(one_hot_label=True)
        state = np.random.get_state()
        np.random.seed(0)
        try:
            net = TwoLayerNet(64, 50, 10)
        finally:
            np.random.set_state(state)
        call = "train_backprop(TwoLayerNet(64, 50, 10), digits, iters_num=1000, batch_size=100, lr=0.1, rng=rng(0))"
        losses, train_acc, test_acc = train_backprop(net, x, t, x_test, t_test, iters_num=1000,
                                                     batch_size=100, lr=0.1, rng=rng(0))
        acc = net.accuracy(x_test, t_test)
        expect_true(acc >= 0.93, call=f"net.accuracy(x_test, t_test) after {call}",
                    note=("数字画像での §5.7.4: 誤差逆伝播法なら 1 秒足らずで学習します (8 つの seed で 0.96–0.97)",
                          "§5.7.4 on the digits: backpropagation trains the net in under a second "
                         "(0.96–0.97 over 8 seeds)"), actual=acc, expected="≥ 0.93")
        per_epoch = len(x) // 100
        expect_equal(len(test_acc), 999 // per_epoch + 1, call=f"len({call}[2])",
                     note=(f"iter_per_epoch = {len(x)} // 100 = {per_epoch}: {per_epoch} 回ごとに評価",
                           f"iter_per_epoch = {len(x)} // 100 = {per_epoch}: an evaluation every {per_epoch} iterations"))


class SlowNet:
    """Pretends: numerical_gradient takes 40 ms, gradient 1 ms; counts the calls."""

    def __init__(self):
        self.calls = {"numerical_gradient": [], "gradient": []}

    def numerical_gradient(self, x, t):
        self.calls["numerical_gradient"].append((x, t))
        time.sleep(0.04)
        return {}

    def gradient(self, x, t):
        self.calls["gradient"].append((x, t))
        time.sleep(0.001)
        return {}


@kata("ch05.gradient_speed")
class TestGradientSpeed:
    def test_times_each_way(self):
        net = SlowNet()
        x, t = np.ones((2, 3)), np.array([0, 1])
        got = gradient_speed(net, x, t, repeat=2)
        call = "gradient_speed(net, x, t, repeat=2)  # numerical 40 ms, backprop 1 ms"
        expect_equal(sorted(got), ["backprop", "numerical", "ratio"], call=f"sorted({call})")
        expect_equal({k: len(v) for k, v in net.calls.items()}, {"numerical_gradient": 2, "gradient": 2},
                     call=call, note=("どちらも repeat 回ずつ測ります",
                                      "each way timed repeat times"))
        expect_true(all(a is x and b is t for v in net.calls.values() for a, b in v), call=call,
                    note=("どちらも同じ (x, t) で",
                          "both on the same (x, t)"))
        num, bp = got.get("numerical", 0.0), got.get("backprop", 0.0)
        expect_true(0.04 <= num < 0.2 and 0.001 <= bp < 0.03, call=call,
                    note=("それぞれ 1 回の呼び出しの秒数 (呼び出しごとに time.perf_counter で測り、最短をとる)",
                          "seconds of one call each way (time.perf_counter around each call, the shortest kept)"),
                    actual=(num, bp), expected="(≈ 0.04, ≈ 0.001)")
        expect_close(got.get("ratio"), num / bp if bp else None, rtol=1e-9, call=f"{call}['ratio']",
                     note="numerical / backprop")

    def test_backprop_is_much_faster(self):
        state = np.random.get_state()
        np.random.seed(1)
        try:
            net = TwoLayerNet(64, 10, 10)
        finally:
            np.random.set_state(state)
        g = rng(5)
        x, t = g.random((10, 64)), g.integers(0, 10, size=10)
        got = gradient_speed(net, x, t)
        call = "gradient_speed(TwoLayerNet(64, 10, 10), x (10 digits' size), t)"
        expect_true(got.get("ratio", 0) > 50, call=f"{call}['ratio']",
                    note=("数値微分の勾配 1 回はパラメータ 1 個につき順伝播 2 回 (ここでは 760 個): 測ると誤差逆伝播法 500–1000 回分、TwoLayerNet(64, 50, 10) でバッチ 100 なら約 1:3,000–5,000",
                          "one numerical gradient costs two forward passes per parameter (760 here): "
                         "measured 500–1000 backprop steps, and about 1:3,000–5,000 for TwoLayerNet(64, 50, 10) "
                         "on batches of 100"), actual=got.get("ratio"), expected="> 50")
