"""Tests for ch05/two_layer_net.py (§5.7.2).

The network under test is TwoLayerNet(4, 5, 3) with its parameters overwritten in
place by tests/ch05/helpers.small_case(): float64, N = 3, ReLU inputs at least 0.1
from the kink. Gradients are checked against the tests' own central difference
(h = 1e-5) by max relative error, threshold 1e-6.
"""
import numpy as np

from ch05.layers import Affine, Relu, SoftmaxWithLoss
from ch05.two_layer_net import TwoLayerNet
from dlkata.testing import expect_close, expect_equal, expect_grad, expect_true, kata, numerical_gradient, rng
from tests.ch05.helpers import SHAPES, kink_margin, mean_cross_entropy, scores, set_params, small_case

GRAD_TOL = 1e-6
KEYS = ["W1", "b1", "W2", "b2"]


def _net():
    params, x, t_idx, t_onehot = small_case()
    assert kink_margin(params, x) > 0.1, "test setup: ReLU inputs must stay off the kink"
    net = TwoLayerNet(4, 5, 3)
    set_params(net, params)
    return net, params, x, t_idx, t_onehot


def _trusted_grads(params, x, t):
    """The true gradient at params: the central difference of the book's loss written out here."""
    t_idx = t if np.ndim(t) == 1 else np.argmax(t, axis=1)
    return {k: numerical_gradient(lambda: mean_cross_entropy(scores(params, x), t_idx), params[k]) for k in KEYS}


@kata("ch05.two_layer_net")
class TestTwoLayerNet:
    def test_params(self):
        state = np.random.get_state()
        try:
            np.random.seed(0)
            net = TwoLayerNet(20, 30, 10)
            wide = TwoLayerNet(20, 30, 10, weight_init_std=0.5)
        finally:
            np.random.set_state(state)
        call = "TwoLayerNet(20, 30, 10).params"
        expect_equal(sorted(net.params), sorted(KEYS), call=f"sorted({call})")
        want = {"W1": (20, 30), "b1": (30,), "W2": (30, 10), "b2": (10,)}
        for k, shape in want.items():
            p = net.params.get(k)
            expect_equal(np.shape(p), shape, call=f"{call}['{k}'].shape")
            expect_true(np.asarray(p).dtype == np.float64, call=f"{call}['{k}'].dtype",
                        note=("パラメータは float64",
                              "parameters are float64"), actual=np.asarray(p).dtype, expected="float64")
        for k in ("b1", "b2"):
            expect_close(net.params.get(k), np.zeros(want[k]), call=f"{call}['{k}']",
            note=("バイアスの初期値は 0",
                  "biases start at 0"))
        for k in ("W1", "W2"):
            for n, std in ((net, 0.01), (wide, 0.5)):
                got = float(np.std(n.params.get(k, np.zeros(2))))
                expect_true(0.8 * std < got < 1.2 * std, call=f"np.std(TwoLayerNet(20, 30, 10, weight_init_std={std}).params['{k}'])",
                            note=("重みは weight_init_std · randn",
                                  "weights are weight_init_std · randn"), actual=got, expected=std)

    def test_layers(self):
        net = TwoLayerNet(4, 5, 3)
        expect_equal(list(net.layers), ["Affine1", "Relu1", "Affine2"], call="list(TwoLayerNet(4, 5, 3).layers)",
                     note=("順伝播の順にレイヤを並べた OrderedDict",
                           "an OrderedDict of the layers in forward order"))
        for name, cls in (("Affine1", Affine), ("Relu1", Relu), ("Affine2", Affine)):
            layer = net.layers.get(name)
            expect_true(isinstance(layer, cls), call=f"net.layers['{name}']",
            note=(f"ch05.layers.{cls.__name__} であること",
                  f"must be a ch05.layers.{cls.__name__}"),
                        actual=type(layer).__name__, expected=cls.__name__)
        expect_true(isinstance(getattr(net, "lastLayer", None), SoftmaxWithLoss), call="net.lastLayer",
                    note=("ch05.layers.SoftmaxWithLoss であること", "must be a ch05.layers.SoftmaxWithLoss"),
                    actual=type(getattr(net, "lastLayer", None)).__name__, expected="SoftmaxWithLoss")

    def test_layers_share_the_params_arrays(self):
        net, params, x, _, _ = _net()
        expect_close(net.predict(x), scores(params, x), call="net.params[k][...] = values; net.predict(x)",
                     note=("Affine1 と Affine2 は net.params の配列そのものを持ちます。コピーではありません",
                           "Affine1 and Affine2 must hold the very arrays in net.params, not copies"))
        r = rng(70)
        for k in KEYS:
            step = r.normal(scale=0.1, size=SHAPES[k])
            net.params[k] -= step
            params[k] = params[k] - step
            expect_close(net.predict(x), scores(params, x), call=f"net.params['{k}'] -= step; net.predict(x)",
                         note=("params をその場で更新したらネットワークの予測も変わるはずです (Affine(self.params['W1'], self.params['b1']))",
                               "an in-place update of params must change the network's predictions "
                               "(Affine(self.params['W1'], self.params['b1']))"))

    def test_predict_gives_raw_scores(self):
        net, params, x, _, _ = _net()
        out = net.predict(x)
        expect_close(out, scores(params, x), call="net.predict(x)  # x (3, 4)",
                     note=("Affine1 → Relu1 → Affine2。softmax の前のスコア",
                           "Affine1 → Relu1 → Affine2; the scores before softmax"))

    def test_loss(self):
        net, params, x, t_idx, t_onehot = _net()
        want = mean_cross_entropy(scores(params, x), t_idx)
        expect_close(net.loss(x, t_onehot), want, call="net.loss(x, t_onehot)")
        expect_close(net.loss(x, t_idx), want, call="net.loss(x, t_idx)")

    def test_accuracy(self):
        net, params, _, _, _ = _net()
        x = rng(71).normal(size=(4, 4))
        best = np.argmax(scores(params, x), axis=1)
        t_idx = best.copy()
        t_idx[3] = (best[3] + 1) % 3          # the last sample is wrong: 3 of 4 right
        t_onehot = np.eye(3)[t_idx]
        expect_close(net.accuracy(x, t_idx), 0.75, call="net.accuracy(x, t_idx)  # 3 of 4 right, class indices")
        expect_close(net.accuracy(x, t_onehot), 0.75, call="net.accuracy(x, t_onehot)  # 3 of 4 right, one-hot")
        expect_true(isinstance(net.accuracy(x, t_idx), float), call="net.accuracy(x, t_idx)",
                    note=("float を返します",
                          "returns a float"), actual=type(net.accuracy(x, t_idx)).__name__, expected="float")

    def test_numerical_gradient(self):
        net, params, x, t_idx, _ = _net()
        got = net.numerical_gradient(x, t_idx)
        expect_equal(sorted(got), sorted(KEYS), call="sorted(net.numerical_gradient(x, t))")
        for k in KEYS:
            expect_close(net.params[k], params[k], call=f"net.params['{k}'] after net.numerical_gradient(x, t)",
                         note=("パラメータを元に戻しましょう", "the parameters must be restored"))
        want = _trusted_grads(params, x, t_idx)
        for k in KEYS:
            expect_grad(got.get(k), want[k], call=f"net.numerical_gradient(x, t)['{k}']", tol=GRAD_TOL)

    def test_gradient_keys_and_shapes(self):
        net, params, x, t_idx, _ = _net()
        got = net.gradient(x, t_idx)
        expect_equal(sorted(got), sorted(KEYS), call="sorted(net.gradient(x, t))")
        for k in KEYS:
            expect_equal(np.shape(got.get(k)), SHAPES[k], call=f"net.gradient(x, t)['{k}'].shape",
                         note=(f"params['{k}'] の形", f"the shape of params['{k}']"))
            expect_close(net.params[k], params[k], call=f"net.params['{k}'] after net.gradient(x, t)",
                         note=("gradient はパラメータを変えてはいけません",
                               "gradient must not change the parameters"))

    def test_gradient_matches_numerical(self):
        net, params, x, t_idx, t_onehot = _net()
        for t, name in ((t_idx, "t_idx"), (t_onehot, "t_onehot")):
            want = _trusted_grads(params, x, t)
            net.predict(rng(72).normal(size=(2, 4)))    # an unrelated forward pass first
            got = net.gradient(x, t)
            for k in KEYS:
                expect_grad(got.get(k), want[k], call=f"net.gradient(x, {name})['{k}']  # backprop vs central difference",
                            tol=GRAD_TOL)
