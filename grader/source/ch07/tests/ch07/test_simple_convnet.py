"""Tests for ch07/simple_convnet.py (§7.5).

The network's arithmetic is checked against a forward pass written here with the
naive loops of tests/ch07/helpers.py; the gradients against the numerical gradients of
that forward pass's loss, on a tiny network whose activations stay clear of the ReLU and
max-pooling kinks.
"""
import time

import numpy as np
import pytest

from ch07.simple_convnet import SimpleConvNet
from dlkata.testing import (expect_close, expect_equal, expect_grad, expect_true, kata, numerical_gradient,
                            record, rng, say, train)
from tests.ch07.helpers import loop_conv, loop_maxpool

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
TINY = dict(input_dim=(2, 6, 6), conv_param={"filter_num": 3, "filter_size": 3, "pad": 0, "stride": 1},
            hidden_size=5, output_size=4)
TINY_CALL = ("SimpleConvNet((2, 6, 6), {'filter_num': 3, 'filter_size': 3, 'pad': 0, 'stride': 1}, "
             "hidden_size=5, output_size=4)")
GRAD_TOL = 1e-6  # max relative error of a gradient check (float64, central differences, h = 1e-5)


def reference_scores(p: dict, x: np.ndarray, pad: int = 0) -> np.ndarray:
    """conv → ReLU → 2×2 max pool → affine → ReLU → affine, written out with the loops of helpers.py."""
    a = np.maximum(loop_conv(x, p["W1"], p["b1"], 1, pad), 0)
    a = loop_maxpool(a, 2, 2, 2).reshape(len(x), -1)
    a = np.maximum(a @ p["W2"] + p["b2"], 0)
    return a @ p["W3"] + p["b3"]


def reference_loss(scores: np.ndarray, t: np.ndarray, delta: float = 1e-7) -> float:
    """Mean cross-entropy of softmax(scores); delta = 0 gives the exact loss whose
    gradient SoftmaxWithLoss.backward computes ((y − t)/N ignores the 1e-7)."""
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(y[np.arange(len(t)), t] + delta)))


def tiny_case(seed: int = 3, pad: int = 0):
    """A tiny net with our own parameter values written into its arrays, plus x and t.

    The seed is chosen so that every conv and hidden pre-activation, and every gap
    between a pooling window's two largest (positive) values, exceeds 0.01: far from
    the kinks, so numerical gradients are meaningful.
    """
    g = rng(seed)
    conv_param = dict(TINY["conv_param"], pad=pad)
    net = SimpleConvNet(**dict(TINY, conv_param=conv_param), rng=rng(100 + seed))
    x = g.standard_normal((3, 2, 6, 6))
    side = (6 + 2 * pad - 3 + 1) // 2
    ours = {"W1": 0.5 * g.standard_normal((3, 2, 3, 3)), "b1": 0.1 * g.standard_normal(3),
            "W2": 0.5 * g.standard_normal((3 * side * side, 5)), "b2": 0.1 * g.standard_normal(5),
            "W3": 0.1 * g.standard_normal((5, 4)), "b3": 0.01 * g.standard_normal(4)}
    t = np.array([0, 3, 1])
    for key in KEYS:
        net.params[key][...] = ours[key]  # in place: the layers must see it
    return net, ours, x, t


def _margin(p: dict, x: np.ndarray) -> float:
    a = loop_conv(x, p["W1"], p["b1"], 1, 0)
    z = np.maximum(a, 0)
    n, c, h, w = z.shape
    win = np.sort(z.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(-1, 4), axis=1)
    gaps = (win[:, 3] - win[:, 2])[win[:, 3] > 0]
    hidden = loop_maxpool(z, 2, 2, 2).reshape(n, -1) @ p["W2"] + p["b2"]
    return float(min(np.abs(a).min(), gaps.min(), np.abs(hidden).min()))


@kata("ch07.simple_convnet")
class TestSimpleConvNet:
    def test_parameter_shapes(self):
        net = SimpleConvNet((2, 6, 8), {"filter_num": 3, "filter_size": 3, "pad": 0, "stride": 1},
                            hidden_size=5, output_size=4, rng=rng(0))
        want = {"W1": (3, 2, 3, 3), "b1": (3,), "W2": (18, 5), "b2": (5,), "W3": (5, 4), "b3": (4,)}
        expect_equal(sorted(net.params), sorted(want), call="sorted(SimpleConvNet(...).params)")
        for key, shape in want.items():
            if key in net.params:
                expect_equal(np.shape(net.params[key]), shape,
                             call=f"SimpleConvNet((2, 6, 8), filter_num=3, filter_size=3, hidden_size=5, "
                                  f"output_size=4).params['{key}'].shape",
                             note=("W2 の行数は FN·(OH/2)·(OW/2) = 3·2·3: 畳み込みで 4×6、プーリングで 2×3",
                                   "W2 has FN·(OH/2)·(OW/2) = 3·2·3 rows: conv 4×6, pooled 2×3") if key == "W2" else "")
        for key in ("b1", "b2", "b3"):
            expect_equal(np.asarray(net.params.get(key)), np.zeros(want[key]),
                         call=f"SimpleConvNet(...).params['{key}']",
                         note=("バイアスの初期値は 0",
                               "biases start at zero"))

    def test_one_seed_gives_the_same_weights(self):
        a = SimpleConvNet(**TINY, rng=rng(21))
        b = SimpleConvNet(**TINY, rng=rng(21))
        c = SimpleConvNet(**TINY, rng=rng(22))
        call = f"{TINY_CALL[:-1]}, rng=np.random.default_rng(21)) twice"
        for key in KEYS:
            expect_equal(a.params[key], b.params[key], call=f"{call}: params[{key!r}]",
                         note=("重みはすべて rng から: 同じ seed なら同じネットワーク",
                               "every weight is drawn from rng: the same seed gives the same network"))
        expect_true(not np.array_equal(a.params["W1"], c.params["W1"]), call=f"{TINY_CALL[:-1]}, rng=...(22))",
                    note=("seed が違えば重みも違います",
                          "another seed gives other weights"))

    def test_padding_changes_the_sizes(self):
        net = SimpleConvNet((1, 6, 6), {"filter_num": 2, "filter_size": 3, "pad": 1, "stride": 1},
                            hidden_size=4, output_size=3, rng=rng(1))
        expect_equal(np.shape(net.params["W2"]), (2 * 3 * 3, 4),
                     call="SimpleConvNet((1, 6, 6), {'filter_num': 2, 'filter_size': 3, 'pad': 1, 'stride': 1}, "
                          "hidden_size=4, output_size=3).params['W2'].shape",
                     note=("パディング 1 で畳み込みの出力は 6×6 のまま、プーリングで 3×3",
                           "pad 1 keeps the conv output 6×6, pooled to 3×3"))

    def test_defaults_are_the_books(self):
        net = SimpleConvNet(rng=rng(2))
        for key, shape in {"W1": (30, 1, 5, 5), "W2": (4320, 100), "W3": (100, 10)}.items():
            expect_equal(np.shape(net.params[key]), shape, call=f"SimpleConvNet().params['{key}'].shape")
        std = float(np.std(net.params["W2"]))
        expect_true(abs(std - 0.01) < 0.0005, call="np.std(SimpleConvNet().params['W2'])", actual=std,
                    expected=0.01,
                    note=("重みは weight_init_std · N(0, 1)、weight_init_std = 0.01",
                          "weights are weight_init_std · N(0, 1), weight_init_std = 0.01"))

    def test_predict_follows_the_architecture(self):
        for pad in (0, 1):
            net, ours, x, _ = tiny_case(3, pad)
            expect_close(net.predict(x), reference_scores(ours, x, pad), rtol=1e-9,
                         call=f"{TINY_CALL.replace(chr(39) + 'pad' + chr(39) + ': 0', chr(39) + 'pad' + chr(39) + f': {pad}')}"
                              ".predict(x)  # params set in place",
                         note=("conv → ReLU → max pool 2×2 ストライド 2 → affine → ReLU → affine。レイヤは params の配列そのものを持ちます",
                               "conv → ReLU → max pool 2×2 stride 2 → affine → ReLU → affine; the layers must "
                               "hold the very arrays in params"))

    def test_loss(self):
        net, ours, x, t = tiny_case(3)
        want = reference_loss(reference_scores(ours, x), t)
        expect_close(net.loss(x, t), want, rtol=1e-9, call="net.loss(x, t)  # t = [0, 3, 1]")
        expect_close(net.loss(x, np.eye(4)[t]), want, rtol=1e-9, call="net.loss(x, one-hot t)")

    def test_gradient_matches_numerical_gradients(self):
        net, ours, x, t = tiny_case(3)
        assert _margin(ours, x) > 0.01, "test data too close to a kink"
        grads = net.gradient(x, t)
        for key in KEYS:    # of the loss written out here, at the same parameters: the true gradient
            numeric = numerical_gradient(lambda: reference_loss(reference_scores(ours, x), t, delta=0.0), ours[key])
            expect_grad(grads.get(key), numeric, call=f"net.gradient(x, t)['{key}']", tol=GRAD_TOL)

    def test_numerical_gradient_method(self):
        net, ours, x, t = tiny_case(3)
        grads = net.numerical_gradient(x, t)
        for key in KEYS:
            numeric = numerical_gradient(lambda: reference_loss(reference_scores(ours, x), t), ours[key])
            expect_grad(grads.get(key), numeric, call=f"net.numerical_gradient(x, t)['{key}']", tol=1e-5)
            expect_close(net.params[key], ours[key], rtol=1e-12, call=f"net.params['{key}'] after numerical_gradient",
                         note=("終わったあとパラメータは元の値に戻っているはずです",
                               "the parameters must be back to their values afterwards"))

    def test_accuracy_counts_every_sample(self, monkeypatch):
        net, _, _, _ = tiny_case(3)
        x = rng(4).standard_normal((25, 2, 6, 6))
        predicted = np.argmax(reference_scores({k: net.params[k] for k in KEYS}, x), axis=1)
        expect_close(net.accuracy(x, predicted, batch_size=10), 1.0, call="net.accuracy(x, t, batch_size=10)  # N = 25",
                     note=("t はネットワークの予測そのものなので 25 個すべて正解: 最後の 5 個だけのバッチも数えます",
                           "t is what the net predicts, so all 25 are right: the last partial batch of 5 counts too"))
        t = predicted.copy()
        t[:20] = (t[:20] + 1) % 4  # only the last five are right
        expect_close(net.accuracy(x, t, batch_size=10), 0.2, call="net.accuracy(x, t, batch_size=10)  # last 5 right",
                     note=("25 個中 5 個が正解", "5 right out of 25"))
        expect_close(net.accuracy(x[:7], np.eye(4)[predicted[:7]]), 1.0,
                     call=say("net.accuracy(x[:7], one-hot の t)  # サンプルは batch_size=100 より少ない",
                              "net.accuracy(x[:7], one-hot t)  # fewer samples than batch_size=100"))
        sizes = []
        real = net.predict
        monkeypatch.setattr(net, "predict", lambda xs: sizes.append(len(xs)) or real(xs))
        net.accuracy(x, predicted, batch_size=10)
        expect_equal(sizes, [10, 10, 5], call="net.accuracy(x, t, batch_size=10)  # sizes passed to predict",
                     note=("一度に batch_size 個ずつ予測します", "predict batch_size samples at a time"))

    def test_save_and_load_params(self, tmp_path):
        path = tmp_path / "params.npz"
        net, ours, x, _ = tiny_case(3)
        net.save_params(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                saved = {key: data[key] for key in data.files}
        except Exception as exc:  # noqa: BLE001 - anything unreadable is the learner's to see
            record(f"net.save_params({path.name!r}); np.load(path, allow_pickle=False)", repr(exc),
                   say("W1 〜 b3 を持つ .npz",
                       "an .npz with W1 ... b3"), ("np.savez(path, **self.params) で保存します。pickle は使いません",
                                              "save with np.savez(path, **self.params), never pickle"))
            return
        expect_equal(sorted(saved), sorted(KEYS), call="np.load(saved file).files")
        for key in KEYS:
            if key in saved:
                expect_equal(saved[key], ours[key], call=f"np.load(saved file)['{key}']")
        other = SimpleConvNet(**TINY, rng=rng(7))
        other.load_params(path)
        before = net.predict(x)
        expect_close(other.predict(x), before, rtol=1e-12, call="other.load_params(path); other.predict(x)",
                     note=("読み込んだ別のネットワークは、保存したものとまったく同じ予測をするはずです",
                           "after loading, another net must predict exactly like the saved one"))
        for key in KEYS:
            expect_close(other.params[key], ours[key], rtol=0, atol=0,
                         call=say(f"load_params のあとの other.params['{key}']", f"other.params['{key}'] after load_params"))
        other.params["W3"] += 1.0  # what an optimizer does: in place
        expect_true(not np.allclose(other.predict(x), before), call="other.params['W3'] += 1.0; other.predict(x)",
                    note=("load_params はレイヤに params の読み込んだ配列を指させます。そうすれば params の更新がレイヤに届きます",
                          "load_params must point the layers at the loaded arrays in params, so that updates "
                          "to params reach the layers"))


@pytest.mark.slow
@kata("ch07.simple_convnet")
class TestSimpleConvNetTraining:
    def test_learns_the_digits(self):
        from ch06.optimizer import Adam
        from dlkata.data import load_digits

        (x_train, t_train), (x_test, t_test) = load_digits(flatten=False)
        g = rng(0)
        net = SimpleConvNet((1, 8, 8), {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1},
                            hidden_size=50, output_size=10, weight_init_std=0.1, rng=g)
        start = time.perf_counter()
        orders = [g.permutation(len(x_train)) for _ in range(10)]
        batches = [order[i:i + 100] for order in orders for i in range(0, len(order), 100)]
        # ch06's Adam (the reference's), in the grading worker under the sandbox: one crossing
        train(net, x_train, t_train, batches, Adam, lr=0.003)
        seconds = time.perf_counter() - start
        acc = net.accuracy(x_test, t_test)
        expect_true(acc >= 0.96, call=say("SimpleConvNet((1, 8, 8), 3×3 のフィルタ 16 枚 pad 1, 隠れ層 50), Adam(lr=0.003), "
                                          "数字画像で batch 100 を 10 エポック; net.accuracy(x_test, t_test)",
                                          "SimpleConvNet((1, 8, 8), 16 filters 3×3 pad 1, hidden 50), Adam(lr=0.003), "
                                          "10 epochs of batch 100 on the digits; net.accuracy(x_test, t_test)"),
                    actual=acc,
                    expected=say(">= 0.96 (第 5 章の TwoLayerNet は同じ 10 エポックで 0.91〜0.95)",
                                 ">= 0.96 (chapter 5's TwoLayerNet: 0.91-0.95 after the same 10 epochs)"),
                    note=(f"学習に {seconds:.1f} 秒", f"trained in {seconds:.1f} s"))
