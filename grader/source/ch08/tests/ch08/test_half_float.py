"""Tests for ch08/half_float.py (§8.3.4): rounding to float16, and a network evaluated that way.

The network is chapter 7's SimpleConvNet (the reference), trained for a moment on the digits.
"""
import numpy as np
import pytest

from ch08.half_float import half_precision_accuracy, to_float16
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, rng, say


@kata("ch08.to_float16")
class TestToFloat16:
    def test_known_roundings(self):
        x = np.array([0.1, 1 / 3, 2049.0, 1e-8, -65504.0, 1.0])
        expect_equal(to_float16(x), np.array([0.0999755859375, 0.333251953125, 2048.0, 0.0, -65504.0, 1.0]),
                     call="to_float16(np.array([0.1, 1/3, 2049.0, 1e-8, -65504.0, 1.0]))",
                     note=("最も近い float16: 有効桁 11 ビット、約 3e-8 より小さい値は表せません",
                           "the nearest float16: 11 significant bits, nothing below about 3e-8"))

    def test_keeps_the_dtype_and_the_input(self):
        x = rng(0).standard_normal((3, 4))
        before = x.copy()
        out = to_float16(x)
        expect_equal(np.asarray(out).dtype, np.dtype(np.float64), call="to_float16(x).dtype  # x float64",
                     note=("float16 に丸めてから戻します: 結果はまた float64",
                           "round to float16 and cast back: the result is float64 again"))
        expect_unchanged(x, before, call="to_float16(x)", note=("x を変えてはいけません", "x must not change"), name="x")
        # The learner's values are the actual ones (their rounding to float16 the expected): a
        # wrong rounding is shown as it came back, and its fingerprint is the same on every CPU.
        expect_equal(np.asarray(out), np.asarray(out).astype(np.float16).astype(np.float64),
                     call="to_float16(x)",
                     note=("どの値も float16 でちょうど表せるはずです",
                           "every value must be exactly representable in float16"))
        expect_true(np.max(np.abs(np.asarray(out) - x) / np.abs(x)) <= 2 ** -11, call="to_float16(x)",
                    note=("最近接への丸め: 相対誤差は最大 2**-11",
                          "rounding to nearest: relative error at most 2**-11"))
        small = np.array([0.1, 0.7], dtype=np.float32)
        expect_equal(np.asarray(to_float16(small)).dtype, np.dtype(np.float32), call="to_float16(float32 array).dtype")


class RecordingNet:
    """A stand-in network: params and what accuracy() was given."""

    def __init__(self):
        self.params = {"W1": rng(1).standard_normal((3, 4)), "b1": rng(2).standard_normal(4)}
        self.layer_W = self.params["W1"]  # a layer holds the same array
        self.seen = None

    def accuracy(self, x, t, batch_size=100):
        self.seen = (np.array(x, copy=True), np.array(t, copy=True), batch_size)
        return 0.75


@pytest.fixture(scope="module")
def trained():
    """SimpleConvNet trained for 3 epochs on the digits (about 0.2 s; test accuracy about 0.94)."""
    from ch06.optimizer import Adam
    from ch07.simple_convnet import SimpleConvNet
    from dlkata.data import load_digits

    (x_train, t_train), (x_test, t_test) = load_digits(flatten=False)
    g = rng(1)
    net = SimpleConvNet((1, 8, 8), {"filter_num": 8, "filter_size": 3, "pad": 0, "stride": 1},
                        hidden_size=32, output_size=10, weight_init_std=0.1, rng=g)
    optimizer = Adam(lr=0.01)
    for _ in range(3):
        order = g.permutation(len(x_train))
        for i in range(0, len(order), 50):
            batch = order[i:i + 50]
            optimizer.update(net.params, net.gradient(x_train[batch], t_train[batch]))
    return net, x_test, t_test


@kata("ch08.half_precision_accuracy")
class TestHalfPrecisionAccuracy:
    def test_rounds_params_in_place_and_x_into_a_copy(self):
        net = RecordingNet()
        originals = {k: v.copy() for k, v in net.params.items()}
        arrays = dict(net.params)
        x = rng(3).standard_normal((5, 3))
        x_before = x.copy()
        t = np.array([0, 1, 2, 3, 0])
        result = half_precision_accuracy(net, x, t, batch_size=2)
        expect_close(result, 0.75, call="half_precision_accuracy(net, x, t, batch_size=2)",
                     note=("network.accuracy の返す値を返します", "return what network.accuracy returns"))
        for key in originals:
            expect_true(net.params[key] is arrays[key], call=f"net.params['{key}'] after half_precision_accuracy",
                        note=("その場で丸めます (param[...] = ...): レイヤがこの配列そのものを持っています",
                              "round in place (param[...] = ...): the layers hold these very arrays"))
            expect_equal(net.params[key], originals[key].astype(np.float16).astype(np.float64),
                         call=f"net.params['{key}'] after half_precision_accuracy",
                         note=("すべてのパラメータを float16 に丸めたもの (型は float64 のまま)",
                               "every parameter rounded to float16 (and still float64)"))
        expect_unchanged(x, x_before, call="half_precision_accuracy(net, x, t)",
        note=("呼び出し側の x を変えてはいけません",
              "the caller's x must not change"), name="x")
        if net.seen is None:
            expect_true(False, call="half_precision_accuracy(net, x, t)",
            note=("net.accuracy を呼ぶはずです",
                  "it must call net.accuracy"))
            return
        seen_x, seen_t, seen_batch = net.seen
        expect_equal(seen_x, x.astype(np.float16).astype(np.float64), call="net.accuracy(x16, t, ...)  # x16",
                     note=("accuracy には float16 に丸めた x を渡します", "accuracy gets x rounded to float16"))
        expect_equal(seen_t, t, call="net.accuracy(x16, t, ...)  # t",
        note=("ラベルはそのまま渡します",
              "labels are passed unchanged"))
        expect_equal(seen_batch, 2, call="net.accuracy(x16, t, batch_size=...)",
        note=("batch_size もそのまま渡します",
              "pass batch_size on"))

    def test_a_trained_network_barely_notices(self, trained):
        net, x_test, t_test = trained
        full = net.accuracy(x_test, t_test)
        assert full > 0.9, "the fixture's network should be trained"
        half = half_precision_accuracy(net, x_test, t_test)
        expect_true(abs(half - full) <= 0.01, call="half_precision_accuracy(trained SimpleConvNet, x_test, t_test)",
                    actual=half,
                    expected=say(f"{full:.4f} ± 0.01 (float64 での認識精度)",
                                 f"{full:.4f} ± 0.01 (float64 accuracy)"),
                    note=("16 ビットの重みと入力でも認識精度は (ほとんど) 落ちません (§8.3.4)",
                          "16-bit weights and inputs cost (almost) no accuracy (§8.3.4)"))
        w = net.params["W2"]
        expect_equal(w.astype(np.float16).astype(np.float64), w, call="net.params['W2'] afterwards",
                     note=("ネットワークの重みが float16 の値になっているはずです",
                           "the network's weights are now float16 values"))
