"""Tests for ch06/layers.py: Batch Normalization (§6.3.1) and Dropout (§6.4.3).

Gradient checks use a random weighted loss Σ out·G (Σ out alone hides Batch
Norm bugs: its gradient with respect to x is 0 whatever the mean and variance
paths do) with out written out here, not the learner's forward (backward must give
the true gradient), float64, N ≥ 2, and a max relative error below GRAD_TOL.
"""
import numpy as np
import pytest

from ch06.layers import BatchNormalization, Dropout
from dlkata.testing import expect_close, expect_equal, expect_grad, expect_true, kata, numerical_gradient, rng, say

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

GRAD_TOL = 1e-6
BN_EPS = 1e-6  # the book's code writes 10e-7


@pytest.fixture
def global_seed():
    """Dropout draws from NumPy's global generator: seed it, and put it back afterwards."""
    state = np.random.get_state()
    np.random.seed(1234)
    yield
    np.random.set_state(state)


def _bn_reference(x, gamma, beta, mean=None, var=None):
    x2 = x.reshape(x.shape[0], -1)
    if mean is None:
        mean = x2.mean(axis=0)
        var = ((x2 - mean) ** 2).mean(axis=0)
    return (gamma * (x2 - mean) / np.sqrt(var + BN_EPS) + beta).reshape(x.shape)


def _bn_data(seed=0, n=4, d=3):
    r = rng(seed)
    x = r.standard_normal((n, d)) * np.array([1.0, 3.0, 0.5])[:d] + np.array([0.5, -2.0, 1.0])[:d]
    gamma = r.uniform(0.5, 2.0, d)
    beta = r.standard_normal(d)
    return x, gamma, beta


@kata("ch06.batch_norm")
class TestBatchNormalization:
    def test_train_forward(self):
        x, gamma, beta = _bn_data(0)
        out = BatchNormalization(gamma, beta).forward(x, train_flg=True)
        expect_close(out, _bn_reference(x, gamma, beta), call="BatchNormalization(gamma, beta).forward(x, train_flg=True)",
                     note=("γ·(x − μ)/√(σ² + 1e-6) + β、μ と σ² はバッチの平均と (標本) 分散 ((x − μ)² の平均)",
                           "γ·(x − μ)/√(σ² + 1e-6) + β with the batch's mean and biased variance (mean of (x − μ)²)"))

    def test_small_variance_uses_eps_1e_6(self):
        # a feature whose batch variance is about 1e-6: the value of eps matters here
        x = np.array([[0.0, 1.0], [0.001, 2.0], [0.002, 0.0], [0.003, 5.0]])
        gamma, beta = np.ones(2), np.zeros(2)
        out = BatchNormalization(gamma, beta).forward(x, train_flg=True)
        expect_close(out, _bn_reference(x, gamma, beta), call="BatchNormalization(ones, zeros).forward(x, True)",
                     note=("eps は 1e-6 (本のコードでは 10e-7 と書かれています)。ルートの中で分散に足します",
                           "eps is 1e-6 (written 10e-7 in the book's code), added to the variance inside the root"))

    def test_running_statistics(self):
        x1, gamma, beta = _bn_data(1)
        x2 = _bn_data(2)[0]
        bn = BatchNormalization(gamma, beta, momentum=0.9)
        bn.forward(x1, train_flg=True)
        m1, v1 = x1.mean(axis=0), x1.var(axis=0)
        expect_close(bn.running_mean, 0.1 * m1, call="bn.forward(x1, True); bn.running_mean",
                     note=("初期値は 0: 0.9·0 + 0.1·mean(x1)", "starts at zeros: 0.9·0 + 0.1·mean(x1)"))
        expect_close(bn.running_var, 0.1 * v1, call="bn.forward(x1, True); bn.running_var",
                     note=("初期値は 0: 0.9·0 + 0.1·var(x1) (標本分散)",
                           "starts at zeros: 0.9·0 + 0.1·var(x1), the biased variance"))
        bn.forward(x2, train_flg=True)
        expect_close(bn.running_mean, 0.9 * 0.1 * m1 + 0.1 * x2.mean(axis=0),
                     call="bn.forward(x1, True); bn.forward(x2, True); bn.running_mean",
                     note="running = momentum·running + (1 − momentum)·batch")
        expect_close(bn.running_var, 0.9 * 0.1 * v1 + 0.1 * x2.var(axis=0),
                     call="bn.forward(x1, True); bn.forward(x2, True); bn.running_var")
        bn = BatchNormalization(gamma, beta, momentum=0.5)
        bn.forward(x1, train_flg=True)
        expect_close(bn.running_mean, 0.5 * m1, call=say("BatchNormalization(gamma, beta, momentum=0.5).forward(x1, True) のあとの .running_mean",
                                                       "BatchNormalization(gamma, beta, momentum=0.5).forward(x1, True); .running_mean"))

    def test_test_mode_uses_running_statistics(self):
        x, gamma, beta = _bn_data(3)
        rm, rv = np.array([0.2, -1.0, 0.7]), np.array([0.5, 4.0, 0.25])
        bn = BatchNormalization(gamma, beta, running_mean=rm.copy(), running_var=rv.copy())
        out = bn.forward(x, train_flg=False)
        expect_close(out, _bn_reference(x, gamma, beta, rm, rv),
                     call="BatchNormalization(gamma, beta, running_mean=rm, running_var=rv).forward(x, train_flg=False)",
                     note=("テスト時はバッチのものではなく移動平均の平均と分散で正規化します",
                           "test mode normalises with the running mean and variance, not the batch's"))
        expect_close(bn.running_mean, rm, call="bn.forward(x, train_flg=False); bn.running_mean",
                     note=("テスト時は移動平均の統計量を更新しません",
                           "test mode must not update the running statistics"))
        one = bn.forward(x[:1], train_flg=False)
        expect_close(one, _bn_reference(x[:1], gamma, beta, rm, rv), call="bn.forward(x[:1], train_flg=False)",
                     note=("テスト時はサンプルごとに独立に正規化します (1 個のバッチでも)",
                           "in test mode each sample is normalised on its own (even a batch of one)"))

    def test_train_mode_uses_batch_statistics(self):
        x, gamma, beta = _bn_data(4)
        bn = BatchNormalization(gamma, beta, running_mean=np.array([5.0, 5.0, 5.0]), running_var=np.array([9.0, 9.0, 9.0]))
        out = bn.forward(x, train_flg=True)
        expect_close(out, _bn_reference(x, gamma, beta),
                     call="BatchNormalization(gamma, beta, running_mean=5s, running_var=9s).forward(x, train_flg=True)",
                     note=("学習時はバッチ自身の平均と分散で正規化します",
                           "training normalises with the batch's own mean and variance"))

    def test_nd_input(self):
        r = rng(5)
        x = r.standard_normal((4, 2, 2, 3))
        gamma, beta = r.uniform(0.5, 2.0, 12), r.standard_normal(12)
        bn = BatchNormalization(gamma, beta)
        out = bn.forward(x, train_flg=True)
        expect_equal(np.shape(out), x.shape, call="BatchNormalization(γ (12,), β (12,)).forward(x (4, 2, 2, 3), True).shape")
        expect_close(out, _bn_reference(x, gamma, beta), call="BatchNormalization(...).forward(x (4, 2, 2, 3), True)",
                     note=("多次元の入力は x.reshape(N, -1) として正規化: C·H·W の要素ごとに平均 1 つ",
                           "N-D input is normalised as x.reshape(N, -1): one mean per C·H·W element"))
        dx = bn.backward(r.standard_normal(x.shape))
        expect_equal(np.shape(dx), x.shape, call="bn.backward(dout (4, 2, 2, 3)).shape")

    @pytest.mark.parametrize("shape", [(5, 4), (3, 2, 2, 2)])
    def test_gradient_check(self, shape):
        r = rng(6)
        x = r.standard_normal(shape) * 2.0 + 0.5
        d = int(np.prod(shape[1:]))
        gamma, beta = r.uniform(0.5, 2.0, d), r.standard_normal(d)
        G = r.standard_normal(shape)
        bn = BatchNormalization(gamma, beta)
        loss = lambda: float(np.sum(_bn_reference(x, gamma, beta) * G))  # noqa: E731  (the true forward)
        num = {name: numerical_gradient(loss, arr) for name, arr in (("x", x), ("gamma", gamma), ("beta", beta))}
        bn.forward(x, train_flg=True)
        dx = bn.backward(G.copy())
        where = f"bn = BatchNormalization(gamma, beta); bn.forward(x {shape}, True); bn.backward(G)"
        expect_grad(dx, num["x"], call=f"{where} -> dx", tol=GRAD_TOL)
        expect_grad(bn.dgamma, num["gamma"], call=f"{where}; bn.dgamma", tol=GRAD_TOL)
        expect_grad(bn.dbeta, num["beta"], call=f"{where}; bn.dbeta", tol=GRAD_TOL)


@kata("ch06.dropout")
class TestDropout:
    def test_test_mode_scales(self):
        x = rng(10).standard_normal((3, 4))
        for ratio in (0.5, 0.2):
            expect_close(Dropout(ratio).forward(x, train_flg=False), x * (1 - ratio),
                         call=f"Dropout({ratio}).forward(x, train_flg=False)",
                         note=("テスト時は全ユニットを残し (1 − dropout_ratio) 倍します",
                               "test mode keeps every unit and scales by (1 − dropout_ratio)"))

    def test_train_mode_drops_without_scaling(self, global_seed):
        x = rng(11).uniform(0.5, 1.5, (100, 200))
        for ratio in (0.2, 0.7):
            out = Dropout(ratio).forward(x, train_flg=True)
            kept = out != 0
            expect_close(out[kept], x[kept], call=f"Dropout({ratio}).forward(x, train_flg=True)",
                         note=("学習時、残ったユニットはそのまま通します (本はテスト時に倍率を掛けます)",
                               "kept units pass unchanged while training (the book scales at test time instead)"))
            dropped = 1 - kept.mean()
            expect_true(abs(dropped - ratio) < 0.02, call=f"Dropout({ratio}).forward(x (100, 200), train_flg=True)",
                        note=("各ユニットは確率 dropout_ratio で消去 (mask = rand > ratio)",
                              "each unit is dropped with probability dropout_ratio (mask = rand > ratio)"),
                        actual=say(f"{dropped:.1%} を消去",
                                   f"{dropped:.1%} dropped"), expected=say(f"約 {ratio:.0%}",
                                                                                                 f"about {ratio:.0%}"))

    def test_new_mask_each_call(self, global_seed):
        layer = Dropout(0.5)
        x = np.ones((10, 10))
        a, b = layer.forward(x, True), layer.forward(x, True)
        expect_true(np.any(a != b), call=say("layer.forward(x, True) を 2 回", "layer.forward(x, True) twice"),
        note=("学習時は呼ぶたびに新しい mask を引きます",
              "each training call draws a new mask"))

    def test_backward_uses_the_mask(self, global_seed):
        r = rng(12)
        x = r.uniform(0.5, 1.5, (6, 8))
        dout = r.standard_normal((6, 8))
        layer = Dropout(0.4)
        out = layer.forward(x, train_flg=True)
        dx = layer.backward(dout)
        expect_close(dx, dout * (out != 0), call="layer.forward(x, True); layer.backward(dout)",
                     note=("勾配は残ったユニットだけを流れます: dout·mask",
                           "gradient flows only through the kept units: dout·mask"))

    def test_gradient_check(self, global_seed):
        r = rng(13)
        x = r.standard_normal((4, 5))
        G = r.standard_normal((4, 5))
        layer = Dropout(0.3)

        np.random.seed(99)
        mask = np.asarray(layer.forward(x, train_flg=True)) != 0     # the units this call kept (x has no zeros)
        num = numerical_gradient(lambda: float(np.sum(x * mask * G)), x)
        expect_grad(layer.backward(G.copy()), num, call=say("Dropout(0.3): forward(x, True) のあと backward(G)、マスクは固定",
                                                                       "Dropout(0.3): forward(x, True) then backward(G), mask fixed"),
                    tol=GRAD_TOL)
