"""Tests for ch05/layers.py (§5.4–§5.6), grouped by kata.

Every layer with a backward pass is checked against the tests' own central
difference (dlkata.testing.numerical_gradient) of a random weighted loss
L = Σ out·G, with out written out here (x·y, max(0, x), x·W + b, ...), not the
learner's forward: backward must give the true gradient. Float64 with N ≥ 2, by max
relative error (threshold stated per check); ReLU inputs stay off the kink (|x| > 0.1).
"""
import numpy as np

from ch05.layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from dlkata.testing import expect_close, expect_equal, expect_grad, expect_unchanged, kata, numerical_gradient, rng, say

GRAD_TOL = 1e-6  # max relative error, analytic against central difference (h = 1e-5)


def _signs(r, shape):
    return r.choice([-1.0, 1.0], size=shape)


def _weights(r, shape):
    """Upstream gradient G for L = Σ out·G: random, signed, kept away from 0."""
    return r.uniform(0.5, 1.5, size=shape) * _signs(r, shape)


def _off_kink(r, shape):
    """Inputs with |x| in [0.2, 2]: a step of h never crosses ReLU's kink."""
    return r.uniform(0.2, 2.0, size=shape) * _signs(r, shape)


# ------------------------------------------------------------------ MulLayer
@kata("ch05.mul_layer")
class TestMulLayer:
    def test_each_input_gets_the_other_factor(self):
        layer = MulLayer()
        expect_close(layer.forward(3.0, 5.0), 15.0, call="MulLayer().forward(3.0, 5.0)")
        dx, dy = layer.backward(2.0)
        expect_close((dx, dy), (10.0, 6.0), call="layer.backward(2.0) after forward(3.0, 5.0)",
                     note=("d(x·y)/dx = y、d(x·y)/dy = x なので (dout·y, dout·x) = (2·5, 2·3)",
                           "d(x·y)/dx = y and d(x·y)/dy = x: (dout·y, dout·x) = (2·5, 2·3)"))

    def test_apples_with_tax(self):
        # §5.4.1: 2 apples at 100 each, 10 % tax.
        apple, apple_num, tax = 100, 2, 1.1
        mul_apple, mul_tax = MulLayer(), MulLayer()
        apple_price = mul_apple.forward(apple, apple_num)
        price = mul_tax.forward(apple_price, tax)
        expect_close(price, 220.0, call="mul_tax.forward(mul_apple.forward(100, 2), 1.1)")
        dapple_price, dtax = mul_tax.backward(1)
        dapple, dapple_num = mul_apple.backward(dapple_price)
        expect_close(dapple, 2.2, call="dapple (mul_apple.backward(...)[0])", note="∂price/∂apple")
        expect_close(dapple_num, 110.0, call="dapple_num (mul_apple.backward(...)[1])", note="∂price/∂apple_num")
        expect_close(dtax, 200.0, call="dtax (mul_tax.backward(1)[1])", note="∂price/∂tax")

    def test_numerical_gradient(self):
        r = rng(51)
        x, y = r.normal(size=(2, 3)), r.normal(size=(2, 3))
        G = _weights(r, (2, 3))
        layer = MulLayer()
        out = layer.forward(x, y)
        expect_close(out, x * y, call="MulLayer().forward(x, y)  # x, y of shape (2, 3)")
        dx, dy = layer.backward(G)
        loss = lambda: np.sum(x * y * G)  # noqa: E731  (L = Σ (x·y)·G: the true gradient)
        expect_grad(dx, numerical_gradient(loss, x), call="layer.backward(G)[0]  # L = Σ forward(x, y)·G",
                    tol=GRAD_TOL)
        expect_grad(dy, numerical_gradient(loss, y), call="layer.backward(G)[1]  # L = Σ forward(x, y)·G",
                    tol=GRAD_TOL)


# ------------------------------------------------------------------ AddLayer
@kata("ch05.add_layer")
class TestAddLayer:
    def test_passes_dout_to_both_inputs(self):
        layer = AddLayer()
        expect_close(layer.forward(2.0, 3.5), 5.5, call="AddLayer().forward(2.0, 3.5)")
        expect_close(layer.backward(1.3), (1.3, 1.3), call="layer.backward(1.3)",
                     note=("加算ノードは dout をそのまま両方の入力に渡します",
                           "an addition node hands dout unchanged to both inputs"))

    def test_apples_and_oranges(self):
        # §5.4.2: 2 apples at 100 and 3 oranges at 150, 10 % tax.
        apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
        mul_apple, mul_orange, add_fruit, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
        apple_price = mul_apple.forward(apple, apple_num)
        orange_price = mul_orange.forward(orange, orange_num)
        all_price = add_fruit.forward(apple_price, orange_price)
        price = mul_tax.forward(all_price, tax)
        expect_close(price, 715.0, call=say("レイヤを通して price = (100·2 + 150·3)·1.1", "price = (100·2 + 150·3)·1.1 through the layers"))
        dall_price, dtax = mul_tax.backward(1)
        dapple_price, dorange_price = add_fruit.backward(dall_price)
        dapple, dapple_num = mul_apple.backward(dapple_price)
        dorange, dorange_num = mul_orange.backward(dorange_price)
        got = {"dapple": dapple, "dapple_num": dapple_num, "dorange": dorange,
               "dorange_num": dorange_num, "dtax": dtax}
        want = {"dapple": 2.2, "dapple_num": 110.0, "dorange": 3.3, "dorange_num": 165.0, "dtax": 650.0}
        for name, value in want.items():
            expect_close(got[name], value, call=say(f"{name} (price から dout = 1 で逆伝播)", f"{name} (backward from price with dout = 1)"))

    def test_numerical_gradient(self):
        r = rng(52)
        x, y = r.normal(size=(3, 2)), r.normal(size=(3, 2))
        G = _weights(r, (3, 2))
        layer = AddLayer()
        expect_close(layer.forward(x, y), x + y, call="AddLayer().forward(x, y)  # x, y of shape (3, 2)")
        dx, dy = layer.backward(G)
        loss = lambda: np.sum((x + y) * G)  # noqa: E731  (L = Σ (x + y)·G: the true gradient)
        expect_grad(dx, numerical_gradient(loss, x), call="layer.backward(G)[0]  # L = Σ forward(x, y)·G",
                    tol=GRAD_TOL)
        expect_grad(dy, numerical_gradient(loss, y), call="layer.backward(G)[1]  # L = Σ forward(x, y)·G",
                    tol=GRAD_TOL)


# ------------------------------------------------------------------ Relu
X_RELU = np.array([[1.0, -0.5, 0.0], [-2.0, 3.0, 0.25]])
DOUT_RELU = np.array([[0.5, -1.0, 2.0], [3.0, -0.7, -4.0]])
DX_RELU = np.array([[0.5, 0.0, 0.0], [0.0, -0.7, -4.0]])  # dout where x > 0; 0 at x <= 0


@kata("ch05.relu_layer")
class TestRelu:
    def test_known_values(self):
        layer = Relu()
        x, dout = X_RELU.copy(), DOUT_RELU.copy()
        expect_close(layer.forward(x), np.maximum(0, X_RELU), call="Relu().forward(x)")
        expect_close(layer.backward(dout), DX_RELU, call="layer.backward(dout)",
                     note=("x > 0 では dout をそのまま通し、x <= 0 では 0 (x = 0 なら 0)。mask は dout の符号ではなく x から作ります",
                           "dout passes where x > 0 and is 0 where x <= 0 (x = 0 gives 0); "
                           "the mask comes from x, not from the sign of dout"))

    def test_leaves_the_callers_x_alone(self):
        layer = Relu()
        x, dout = X_RELU.copy(), DOUT_RELU.copy()
        layer.forward(x)
        expect_unchanged(x, X_RELU, call="Relu().forward(x)",
        note=("forward は呼び出し側の x を変えてはいけません",
              "forward must not change the caller's x"), name="x")
        # backward may zero dout in place and return it, as the book's Relu does: what a
        # network passes to backward is never used again.

    def test_uses_the_mask_kept_by_forward(self):
        layer = Relu()
        x = X_RELU.copy()
        out = layer.forward(x)
        # The caller reuses both buffers; the mask was fixed when forward ran.
        out[...] = -1.0
        x[...] = -x
        expect_close(layer.backward(DOUT_RELU.copy()), DX_RELU,
                     call="out = layer.forward(x); out[...] = -1; x[...] = -x; layer.backward(dout)",
                     note=("backward は forward で保存した mask (x <= 0) を使います。x や出力を見直すのではありません",
                           "backward must use the mask (x <= 0) kept in forward, not look at x or "
                           "the output again"))
        other = np.array([[-1.0, 2.0, 0.5], [4.0, -3.0, -0.25]])
        layer.forward(other)
        expect_close(layer.backward(DOUT_RELU.copy()), np.where(other > 0, DOUT_RELU, 0.0),
                     call="layer.forward(x2); layer.backward(dout)",
                     note=("forward のたびに新しい mask を保存: backward は直前の forward に従います",
                           "each forward keeps a new mask: backward follows the last forward"))

    def test_numerical_gradient(self):
        r = rng(53)
        x = _off_kink(r, (3, 4))
        G = _weights(r, (3, 4))
        layer = Relu()
        layer.forward(x)
        dx = layer.backward(G.copy())
        num = numerical_gradient(lambda: np.sum(np.maximum(0, x) * G), x)
        expect_grad(dx, num, call="layer.backward(G)  # L = Σ forward(x)·G, |x| > 0.1", tol=GRAD_TOL)


# ------------------------------------------------------------------ Sigmoid
@kata("ch05.sigmoid_layer")
class TestSigmoid:
    def test_known_values(self):
        x = np.array([[0.0, 2.0], [-1.0, 0.5]])
        dout = np.array([[1.0, -2.0], [0.5, 3.0]])
        y = 1 / (1 + np.exp(-x))
        layer = Sigmoid()
        expect_close(layer.forward(x), y, call="Sigmoid().forward(x)")
        expect_close(layer.backward(dout), dout * y * (1 - y), call="layer.backward(dout)",
                     note=("dy/dx = y·(1 − y)、y は forward の出力 (x = 0 では 0.25)",
                           "dy/dx = y·(1 − y) with y the forward output (at x = 0: 0.25)"))

    def test_leaves_the_callers_arrays_alone(self):
        x = np.array([[0.3, -1.2], [2.0, -0.1]])
        dout = np.array([[1.0, -2.0], [0.5, 3.0]])
        x0, dout0 = x.copy(), dout.copy()
        layer = Sigmoid()
        layer.forward(x)
        expect_unchanged(x, x0, call="Sigmoid().forward(x)",
        note=("forward は呼び出し側の x を変えてはいけません",
              "forward must not change the caller's x"), name="x")
        layer.backward(dout)
        expect_unchanged(dout, dout0, call="layer.backward(dout)",
        note=("backward は呼び出し側の dout を変えてはいけません",
              "backward must not change the caller's dout"), name="dout")

    def test_numerical_gradient(self):
        r = rng(54)
        x = r.normal(scale=1.5, size=(3, 4))
        G = _weights(r, (3, 4))
        layer = Sigmoid()
        layer.forward(x)
        dx = layer.backward(G)
        num = numerical_gradient(lambda: np.sum(G / (1 + np.exp(-x))), x)
        expect_grad(dx, num, call="layer.backward(G)  # L = Σ forward(x)·G", tol=GRAD_TOL)


# ------------------------------------------------------------------ Affine
@kata("ch05.affine")
class TestAffine:
    def test_forward(self):
        r = rng(55)
        x, W, b = r.normal(size=(5, 3)), r.normal(size=(3, 4)), r.normal(size=4)
        expect_close(Affine(W, b).forward(x), x @ W + b, call="Affine(W, b).forward(x)  # x (5, 3), W (3, 4), b (4,)")

    def test_backward_shapes_and_values(self):
        # N, D, M all different, so a transposed dW or an unsummed db has the wrong shape.
        r = rng(56)
        x, W, b = r.normal(size=(5, 3)), r.normal(size=(3, 4)), r.normal(size=4)
        dout = r.normal(size=(5, 4))
        layer = Affine(W, b)
        layer.forward(x)
        dx = layer.backward(dout)
        expect_close(dx, dout @ W.T, call="layer.backward(dout)  # x (5, 3), W (3, 4)",
        note=("dx = dout·Wᵀ、形は (5, 3)",
              "dx = dout·Wᵀ, shape (5, 3)"))
        expect_close(layer.dW, x.T @ dout, call="layer.dW",
        note=("dW = xᵀ·dout、W と同じ形 (3, 4)",
              "dW = xᵀ·dout, W's shape (3, 4)"))
        expect_close(layer.db, dout.sum(axis=0), call="layer.db",
                     note=("db = dout のバッチ方向の和 (axis=0)、b と同じ形 (4,)",
                           "db = Σ over the batch of dout (axis=0), b's shape (4,)"))

    def test_numerical_gradient(self):
        r = rng(57)
        x, W, b = r.normal(size=(4, 3)), r.normal(size=(3, 2)), r.normal(size=2)
        G = _weights(r, (4, 2))
        layer = Affine(W, b)
        loss = lambda: np.sum((x @ W + b) * G)  # noqa: E731  (L = Σ (x·W + b)·G: the true gradient)
        num = {name: numerical_gradient(loss, arr) for name, arr in (("x", x), ("W", W), ("b", b))}
        layer.forward(x)
        dx = layer.backward(G)
        expect_grad(dx, num["x"], call="layer.backward(G)  # L = Σ forward(x)·G", tol=GRAD_TOL)
        expect_grad(layer.dW, num["W"], call="layer.dW", tol=GRAD_TOL)
        expect_grad(layer.db, num["b"], call="layer.db", tol=GRAD_TOL)

    def test_image_batch_is_flattened_and_dx_reshaped_back(self):
        r = rng(58)
        x = r.normal(size=(2, 3, 2, 2))          # N = 2 images of shape (3, 2, 2): 12 features
        W, b = r.normal(size=(12, 5)), r.normal(size=5)
        G = _weights(r, (2, 5))
        layer = Affine(W, b)
        out = layer.forward(x)
        expect_close(out, x.reshape(2, 12) @ W + b, call="Affine(W, b).forward(x)  # x (2, 3, 2, 2), W (12, 5)",
                     note=("各サンプルを 1 行に平らにします: x.reshape(N, -1)",
                           "flatten each sample to a row: x.reshape(N, -1)"))
        dx = layer.backward(G)
        expect_equal(np.shape(dx), (2, 3, 2, 2), call="layer.backward(G).shape",
                     note=("dx は forward のときの x と同じ形", "dx must have the shape x had in forward"))
        loss = lambda: np.sum((x.reshape(2, 12) @ W + b) * G)  # noqa: E731
        expect_grad(dx, numerical_gradient(loss, x), call="layer.backward(G)  # x (2, 3, 2, 2)", tol=GRAD_TOL)
        expect_grad(layer.dW, numerical_gradient(loss, W), call="layer.dW  # x (2, 3, 2, 2)", tol=GRAD_TOL)


# ------------------------------------------------------------------ SoftmaxWithLoss
def _true_loss(x, t_idx):
    """Mean cross-entropy of softmax(x), computed stably and without the 1e-7 of the log."""
    z = x - x.max(axis=1, keepdims=True)
    log_y = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.mean(log_y[np.arange(len(t_idx)), t_idx])


def _batch(seed):
    r = rng(seed)
    x = r.normal(size=(3, 4))                 # N = 3, K = 4
    t_idx = np.array([2, 0, 3])
    t_onehot = np.eye(4)[t_idx]
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return x, t_idx, t_onehot, e / e.sum(axis=1, keepdims=True)


@kata("ch05.softmax_with_loss")
class TestSoftmaxWithLoss:
    def test_forward_loss(self):
        x, t_idx, t_onehot, y = _batch(59)
        want = -np.mean(np.log(y[np.arange(3), t_idx] + 1e-7))
        layer = SoftmaxWithLoss()
        expect_close(layer.forward(x, t_onehot), want, call="SoftmaxWithLoss().forward(x, t_onehot)  # N = 3",
                     note=("−log(y[t] + 1e-7) のバッチ平均、y = softmax(x)",
                           "mean over the batch of −log(y[t] + 1e-7), y = softmax(x)"))
        expect_close(layer.y, y, call=say("forward のあとの layer.y", "layer.y after forward"),
        note=("forward は softmax の出力を self.y に保存します",
              "forward keeps the softmax output as self.y"))
        expect_close(SoftmaxWithLoss().forward(x, t_idx), want, call="SoftmaxWithLoss().forward(x, t_idx)",
                     note=("クラス番号のラベルでも one-hot と同じ損失",
                           "class-index labels give the same loss as one-hot ones"))

    def test_backward_one_hot(self):
        x, t_idx, t_onehot, y = _batch(60)
        layer = SoftmaxWithLoss()
        layer.forward(x, t_onehot)
        dx = layer.backward()
        expect_close(dx, (y - t_onehot) / 3, call="layer.backward()  # one-hot t, N = 3",
                     note=("(y − t) / N: バッチサイズで割ります", "(y − t) / N: divide by the batch size"))
        num = numerical_gradient(lambda: _true_loss(x, t_idx), x)
        expect_grad(dx, num, call="layer.backward()  # against ∂(mean loss)/∂x", tol=GRAD_TOL)
        expect_close(layer.backward(1), dx, call="layer.backward(1)",
        note=("dout の既定値は 1",
              "dout = 1 is the default"))

    def test_backward_index_labels(self):
        x, t_idx, t_onehot, y = _batch(61)
        layer = SoftmaxWithLoss()
        layer.forward(x, t_idx)
        dx = layer.backward()
        expect_close(dx, (y - t_onehot) / 3, call="layer.backward()  # t = class indices [2, 0, 3], N = 3",
                     note=("番号のラベルなら: 各行のラベルの位置から 1 を引いて N で割ります",
                           "index labels: subtract 1 at each row's label, then divide by N"))
        num = numerical_gradient(lambda: _true_loss(x, t_idx), x)
        expect_grad(dx, num, call="layer.backward()  # index labels, against ∂(mean loss)/∂x", tol=GRAD_TOL)

    def test_backward_keeps_y(self):
        x, t_idx, t_onehot, y = _batch(62)
        for t, name in ((t_idx, "t_idx"), (t_onehot, "t_onehot")):
            layer = SoftmaxWithLoss()
            layer.forward(x, t)
            first = np.array(layer.backward(), copy=True)
            expect_close(layer.y, y, call=say(f"forward(x, {name}); backward() のあとの layer.y", f"layer.y after forward(x, {name}); backward()"),
                         note=("backward は self.y を変えてはいけません: コピーから引きましょう",
                               "backward must not change self.y: subtract from a copy"))
            expect_close(layer.backward(), first, call=f"a second layer.backward()  # {name}",
                         note=("backward を 2 回呼んでも同じ勾配",
                               "backward twice must give the same gradient"))
