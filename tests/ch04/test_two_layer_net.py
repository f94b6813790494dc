"""Tests for ch04/two_layer_net.py (§4.5.1)."""
import warnings

import numpy as np

from ch04.two_layer_net import TwoLayerNet
from dlkata.testing import expect_close, expect_dtype_kind, expect_equal, expect_grad, expect_true, kata, numerical_gradient, rng, say

KEYS = ["W1", "b1", "W2", "b2"]


def _params(g, sizes=(3, 4, 3), scale=1.0):
    d, h, k = sizes
    return {"W1": scale * g.normal(size=(d, h)), "b1": scale * g.normal(size=h),
            "W2": scale * g.normal(size=(h, k)), "b2": scale * g.normal(size=k)}


def _net(params):
    d, h = params["W1"].shape
    k = params["W2"].shape[1]
    net = TwoLayerNet(d, h, k)
    net.params = {key: value.copy() for key, value in params.items()}
    return net


def _predict(p, x):
    """The tests' own forward pass: softmax(sigmoid(x·W1 + b1)·W2 + b2)."""
    z = 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"])))
    a = z @ p["W2"] + p["b2"]
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _loss(p, x, labels):
    y = _predict(p, x)
    return -np.mean(np.log(y[np.arange(len(y)), labels] + 1e-7))


@kata("ch04.two_layer_net")
class TestTwoLayerNet:
    def test_init_params(self):
        net = TwoLayerNet(input_size=64, hidden_size=50, output_size=10)
        shapes = {"W1": (64, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
        call = "TwoLayerNet(input_size=64, hidden_size=50, output_size=10).params"
        expect_equal(sorted(net.params), sorted(KEYS), call=f"sorted({call})")
        for key, shape in shapes.items():
            value = net.params.get(key)
            expect_equal(np.shape(value), shape, call=f"{call}['{key}'].shape")
            expect_dtype_kind(value, "f", call=f"{call}['{key}']")
        expect_equal(np.asarray(net.params.get("b1")), np.zeros(50), call=f"{call}['b1']",
        note=("バイアスの初期値は 0",
              "biases start at 0"))
        expect_equal(np.asarray(net.params.get("b2")), np.zeros(10), call=f"{call}['b2']",
        note=("バイアスの初期値は 0",
              "biases start at 0"))
        for key, n in (("W1", 64 * 50), ("W2", 50 * 10)):
            std = float(np.std(net.params.get(key, np.zeros(1))))
            expect_true(0.008 < std < 0.012, call=f"np.std({call}['{key}'])  # over {n} weights",
                        note=("重みは weight_init_std · randn (既定値 0.01)",
                              "weights are weight_init_std · randn (default 0.01)"), actual=std, expected=0.01)

    def test_init_std(self):
        net = TwoLayerNet(40, 30, 20, weight_init_std=1.0)
        std = float(np.std(net.params.get("W1", np.zeros(1))))
        expect_true(0.9 < std < 1.1, call="np.std(TwoLayerNet(40, 30, 20, weight_init_std=1.0).params['W1'])",
                    note=("weight_init_std が標準正規分布の乱数の大きさを決めます",
                          "weight_init_std scales standard normal draws"), actual=std, expected=1.0)
        expect_true(not np.array_equal(net.params.get("W1"), TwoLayerNet(40, 30, 20, weight_init_std=1.0).params.get("W1")),
                    call=say("2 つのネットワークの TwoLayerNet(...).params['W1']", "TwoLayerNet(...).params['W1'] for two nets"),
                    note=("重みはランダム (np.random.randn)",
                          "weights are random (np.random.randn)"))

    def test_predict(self):
        g = rng(0)
        p = _params(g)
        x = g.normal(size=(5, 3))
        y = _net(p).predict(x)
        expect_close(y, _predict(p, x), call="net.predict(x)  # x (5, 3); W1 (3, 4), W2 (4, 3), random params",
                     note="softmax(sigmoid(x·W1 + b1)·W2 + b2)")
        expect_close(np.sum(y, axis=1), np.ones(5), call="np.sum(net.predict(x), axis=1)",
                     note=("各行が確率分布", "each row is a probability distribution"))

    def test_loss_one_hot_and_index(self):
        g = rng(1)
        p = _params(g)
        x = g.normal(size=(4, 3))
        labels = np.array([2, 0, 1, 2])
        want = _loss(p, x, labels)
        net = _net(p)
        expect_close(net.loss(x, np.eye(3)[labels]), want, call="net.loss(x, t)  # x (4, 3), t one-hot (4, 3)",
                     note=("cross_entropy_error(predict(x), t)、バッチ平均",
                           "cross_entropy_error(predict(x), t), the batch mean"))
        expect_close(net.loss(x, labels), want, call="net.loss(x, np.array([2, 0, 1, 2]))  # index labels")

    def test_accuracy(self):
        g = rng(2)
        p = _params(g, sizes=(3, 6, 4), scale=2.0)
        x = g.normal(size=(10, 3))
        best = np.argmax(_predict(p, x), axis=1)
        labels = best.copy()
        labels[6:] = (best[6:] + 1) % 4  # the last 4 of 10 are wrong: accuracy 0.6
        net = _net(p)
        expect_close(net.accuracy(x, np.eye(4)[labels]), 0.6,
                     call="net.accuracy(x, t)  # 10 samples, t one-hot, 6 predicted right",
                     note=("predict の argmax (axis=1) と t の argmax (axis=1) が一致する行の割合",
                           "the fraction of rows where argmax of predict (axis=1) equals argmax of t (axis=1)"))
        # t is one-hot, as the book trains this net (one_hot_label=True, §4.5.2); index labels are not required.
        expect_close(net.accuracy(x, np.eye(4)[best]), 1.0,
                     call="net.accuracy(x, np.eye(4)[np.argmax(net.predict(x), axis=1)])")

    def test_numerical_gradient(self):
        g = rng(3)
        p = _params(g, sizes=(3, 4, 3))
        x = g.normal(size=(4, 3))
        labels = np.array([0, 2, 1, 2])
        t = np.eye(3)[labels]
        net = _net(p)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            grads = net.numerical_gradient(x, t)
        expect_equal(sorted(grads), sorted(KEYS), call="sorted(net.numerical_gradient(x, t))")
        work = {key: value.copy() for key, value in p.items()}
        for key in KEYS:
            want = numerical_gradient(lambda: _loss(work, x, labels), work[key], h=1e-4)
            got = grads.get(key)
            expect_grad(got, want, tol=1e-6, call=f"net.numerical_gradient(x, t)['{key}']  # x (4, 3), t one-hot")
            expect_true(net.params[key].tobytes() == p[key].tobytes(), call="net.numerical_gradient(x, t)",
                        note=(f"終わったあと params['{key}'] は元どおりのはずです",
                              f"params['{key}'] must be exactly as before afterwards"),
                        actual=net.params[key], expected=p[key])
        expect_true(not caught, call="net.numerical_gradient(x, t)",
        note=("正しいコードなら警告は出ません",
              "no warning from correct code"),
                    actual=[str(w.message) for w in caught], expected=[])
