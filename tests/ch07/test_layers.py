"""Tests for ch07/layers.py (§7.4.3–§7.4.4), grouped by kata.

Forward passes are compared with naive loops (tests/ch07/helpers.py); backward
passes with the numerical gradient of the weighted loss Σ out·G (G random) where out
is the loop's, not the learner's: the backward pass must be the true gradient.
"""
import numpy as np

from ch07.layers import Convolution, Pooling
from dlkata.testing import expect_close, expect_equal, expect_grad, expect_unchanged, kata, numerical_gradient, rng, say
from tests.ch07.helpers import distinct_values, loop_conv, loop_maxpool, loop_maxpool_backward

GRAD_TOL = 1e-6  # max relative error of a gradient check (float64, central differences, h = 1e-5)


def _conv_case(seed, x_shape=(2, 3, 5, 6), w_shape=(4, 3, 3, 2)):
    g = rng(seed)
    return g.standard_normal(x_shape), g.standard_normal(w_shape), g.standard_normal(w_shape[0])


@kata("ch07.convolution")
class TestConvolution:
    def test_forward_matches_a_direct_loop(self):
        # C = 3, FN = 4, FH ≠ FW, H ≠ W; stride 2 with pad 1, then stride 1 without padding
        for seed, stride, pad, x_shape, w_shape in [(0, 2, 1, (2, 3, 5, 6), (4, 3, 3, 2)),
                                                    (1, 1, 0, (2, 2, 4, 5), (3, 2, 2, 3))]:
            x, W, b = _conv_case(seed, x_shape, w_shape)
            out = Convolution(W, b, stride=stride, pad=pad).forward(x)
            expect_close(out, loop_conv(x, W, b, stride, pad),
                         call=f"Convolution(W {w_shape}, b, stride={stride}, pad={pad}).forward(x {x_shape})",
                         note=("out[n, f, i, j] = Σ W[f] · (x[n] のウィンドウ (i, j)) + b[f]、NCHW の順",
                               "out[n, f, i, j] = Σ W[f] · (window (i, j) of x[n]) + b[f], in NCHW"))

    def test_defaults_are_stride_1_pad_0(self):
        x, W, b = _conv_case(2, (2, 2, 4, 5), (3, 2, 2, 3))
        expect_close(Convolution(W, b).forward(x), loop_conv(x, W, b, 1, 0),
                     call="Convolution(W, b).forward(x)")

    def test_leaves_the_input_alone(self):
        x, W, b = _conv_case(3)
        before = (x.copy(), W.copy(), b.copy())
        layer = Convolution(W, b, stride=2, pad=1)
        layer.backward(np.ones_like(layer.forward(x)))
        expect_unchanged(x, before[0], call="Convolution(W, b, 2, 1).forward(x)",
        note=("x を変えてはいけません",
              "x must not change"), name="x")
        expect_unchanged(W, before[1], call="Convolution(W, b, 2, 1).backward(dout)",
        note=("W を変えてはいけません",
              "W must not change"), name="W")

    def test_backward_matches_numerical_gradients(self):
        x, W, b = _conv_case(4)
        G = rng(5).standard_normal((2, 4, 3, 4))
        layer = Convolution(W, b, stride=2, pad=1)
        loss = lambda: float(np.sum(loop_conv(x, W, b, 2, 1) * G))  # noqa: E731  (L = Σ out·G, out the loop's)
        dx_num, dW_num, db_num = numerical_gradient(loss, x), numerical_gradient(loss, W), numerical_gradient(loss, b)
        layer.forward(x)
        dx = layer.backward(G)
        call = "layer = Convolution(W, b, stride=2, pad=1); layer.forward(x); layer.backward(G)"
        expect_grad(dx, dx_num, call=call + "  # dx", tol=GRAD_TOL)
        expect_grad(layer.dW, dW_num, call=call + "; layer.dW", tol=GRAD_TOL)
        expect_grad(layer.db, db_num, call=call + "; layer.db", tol=GRAD_TOL)

    def test_db_sums_the_batch_and_every_position(self):
        x, W, b = _conv_case(6, (3, 2, 4, 5), (2, 2, 2, 3))
        layer = Convolution(W, b)
        out = layer.forward(x)
        layer.backward(np.ones_like(out))
        expect_close(layer.db, np.full(2, 3 * 3 * 3), call="layer.backward(np.ones((3, 2, 3, 3))); layer.db",
                     note=("各フィルタのバイアスは N·OH·OW = 27 個の出力に足されます",
                           "each filter's bias adds to N·OH·OW = 27 outputs"))


@kata("ch07.pooling")
class TestPooling:
    def test_two_by_two_stride_two_halves(self):
        x = distinct_values((2, 3, 4, 6), rng(10))
        out = Pooling(2, 2, stride=2).forward(x)
        expect_close(out, loop_maxpool(x, 2, 2, 2), call="Pooling(2, 2, stride=2).forward(x of shape (2, 3, 4, 6))",
                     note=("ストライド 2 の 2×2 ウィンドウで H と W が半分: (2, 3, 2, 3)",
                           "2×2 windows with stride 2 halve H and W: (2, 3, 2, 3)"))

    def test_forward_matches_a_direct_loop(self):
        for seed, shape, ph, pw, stride in [(11, (2, 2, 5, 4), 3, 2, 1), (12, (2, 3, 6, 5), 3, 2, 3),
                                            (13, (3, 2, 4, 4), 2, 2, 2)]:
            x = distinct_values(shape, rng(seed))
            expect_close(Pooling(ph, pw, stride=stride).forward(x), loop_maxpool(x, ph, pw, stride),
                         call=say(f"Pooling({ph}, {pw}, stride={stride}).forward(形 {shape} の x)",
                                  f"Pooling({ph}, {pw}, stride={stride}).forward(x of shape {shape})"),
                         note=("チャンネルごと、ウィンドウごとの最大値",
                               "the maximum of each window of each channel"))

    def test_backward_routes_to_the_maximum(self):
        # One 2×2 window per channel; the maxima sit at different places in each channel.
        x = np.array([[[[1.0, 3.0], [2.0, 0.0]], [[5.0, -1.0], [4.0, 4.5]]]] * 2)
        x[1, 0] = [[0.0, 1.0], [2.0, 7.0]]
        layer = Pooling(2, 2, stride=2)
        layer.forward(x)
        dout = np.array([10.0, 20.0, 30.0, 40.0]).reshape(2, 2, 1, 1)
        want = np.zeros_like(x)
        want[0, 0, 0, 1], want[0, 1, 0, 0], want[1, 0, 1, 1], want[1, 1, 0, 0] = 10, 20, 30, 40
        expect_close(layer.backward(dout), want, call="layer = Pooling(2, 2, stride=2); layer.forward(x); layer.backward(dout)",
                     note=("勾配はそれぞれウィンドウの最大値の位置にそのまま渡します。ウィンドウ全体に分けません",
                           "each gradient goes whole to the position of its window's maximum, not spread over it"))

    def test_backward_matches_a_direct_loop(self):
        for seed, shape, ph, pw, stride in [(14, (2, 3, 4, 6), 2, 2, 2), (15, (2, 2, 5, 4), 3, 2, 1)]:
            g = rng(seed)
            x = distinct_values(shape, g)
            layer = Pooling(ph, pw, stride=stride)
            out = layer.forward(x)
            dout = g.standard_normal(out.shape)
            expect_close(layer.backward(dout), loop_maxpool_backward(x, dout, ph, pw, stride),
                         call=say(f"Pooling({ph}, {pw}, stride={stride}): forward(形 {shape} の x) のあと backward(dout)",
                                  f"Pooling({ph}, {pw}, stride={stride}): backward(dout) after forward(x of shape {shape})"),
                         note=("勾配は最大値の位置へ。ウィンドウが重なる所では足し合わせます",
                               "gradients go to the maxima; where windows overlap they add up"))

    def test_backward_matches_numerical_gradients(self):
        g = rng(16)
        x = distinct_values((2, 3, 4, 6), g)  # no ties: the max is differentiable here
        G = g.standard_normal((2, 3, 2, 3))
        layer = Pooling(2, 2, stride=2)
        dx_num = numerical_gradient(lambda: float(np.sum(loop_maxpool(x, 2, 2, 2) * G)), x)
        layer.forward(x)
        expect_grad(layer.backward(G), dx_num, call="layer = Pooling(2, 2, stride=2); layer.forward(x); layer.backward(G)",
                    tol=GRAD_TOL)

    def test_leaves_the_input_alone(self):
        x = distinct_values((2, 2, 4, 4), rng(17))
        before = x.copy()
        layer = Pooling(2, 2, stride=2)
        dout = np.ones((2, 2, 2, 2))
        layer.backward(layer.forward(x) * 0 + dout)
        expect_unchanged(x, before, call="Pooling(2, 2, stride=2).forward(x)",
        note=("x を変えてはいけません",
              "x must not change"), name="x")
        expect_unchanged(dout, np.ones((2, 2, 2, 2)), call="Pooling(2, 2, stride=2).backward(dout)",
        note=("dout を変えてはいけません",
              "dout must not change"), name="dout")
