"""Tests for ch06/multi_layer_net.py: MultiLayerNet (§6.2.4, §6.4.2) and MultiLayerNetExtend (§6.3, §6.4.3).

Gradient checks: float64, a batch of N = 4, parameters set by the test (biases
non-zero, inputs well away from ReLU kinks for h = 1e-5), and a max relative
error below GRAD_TOL against dlkata.testing.numerical_gradient of the exact loss
written out here (_true_loss: cross-entropy of _trusted_scores, without the 1e-7
inside the log, + 0.5·λ·ΣW²), so backward must give the true gradient. With Dropout
the masks are the learner's draw, so that check differentiates the learner's predict.
"""
import numpy as np
import pytest

from ch06.multi_layer_net import MultiLayerNet, MultiLayerNetExtend
from dlkata.testing import expect_close, expect_equal, expect_grad, expect_true, kata, numerical_gradient, rng, say
from tests.ch06.helpers import OVERFIT, cross_entropy, train_and_measure

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

GRAD_TOL = 1e-6
BN_EPS = 1e-6
SIZES = (5, [4, 3], 3)   # input, hidden, output


@pytest.fixture(autouse=True)
def global_seed():
    """Nets draw their initial weights (and Dropout its masks) from np.random: seed it, restore it."""
    state = np.random.get_state()
    np.random.seed(2024)
    yield
    np.random.set_state(state)


def _set_params(params, seed):
    """Put the test's own values into the net's arrays, in place (so the layers see them)."""
    r = rng(seed)
    for key in sorted(params):
        p = params[key]
        if key.startswith("W"):
            p[...] = r.standard_normal(p.shape) * 0.8
        elif key.startswith("gamma"):
            p[...] = r.uniform(0.5, 1.5, p.shape)
        else:                      # b and beta: non-zero, so a missing term shows
            p[...] = r.uniform(-0.5, 0.5, p.shape)


def _batch(seed, n=4, d=5, classes=3):
    r = rng(seed)
    return r.standard_normal((n, d)), r.integers(0, classes, n)


def _act(name):
    return {"relu": lambda a: np.maximum(0, a), "sigmoid": lambda a: 1 / (1 + np.exp(-a))}[name]


def _trusted_scores(params, x, layers, activation="relu", bn=False, dropout=None):
    """The forward pass written out: BN in training mode (batch statistics); dropout in test mode."""
    act = _act(activation)
    h = x
    for i in range(1, layers + 1):
        a = h @ params[f"W{i}"] + params[f"b{i}"]
        if bn:
            mu, var = a.mean(axis=0), a.var(axis=0)
            a = params[f"gamma{i}"] * (a - mu) / np.sqrt(var + BN_EPS) + params[f"beta{i}"]
        h = act(a)
        if dropout is not None:
            h = h * (1 - dropout)
    return h @ params[f"W{layers + 1}"] + params[f"b{layers + 1}"]


def _min_abs_preactivation(params, x, layers):
    h, smallest = x, np.inf
    for i in range(1, layers + 1):
        a = h @ params[f"W{i}"] + params[f"b{i}"]
        smallest = min(smallest, np.abs(a).min())
        h = np.maximum(0, a)
    return smallest


def _true_loss(params, x, t, lam, activation="relu", bn=False):
    """The loss backpropagation differentiates, written out: cross-entropy of _trusted_scores
    without the 1e-7 inside the log (that delta would shift the numerical gradient by up to
    1e-7/p) plus 0.5·λ·ΣW²."""
    decay = 0.5 * lam * sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W"))
    return cross_entropy(_trusted_scores(params, x, 2, activation, bn=bn), t, delta=0.0) + decay


def _grad_check(net, x, t, where, numeric, zero_keys=()):
    """Backprop grads against numeric(key), the numerical gradient of each parameter; zero_keys
    must be ~0 in both."""
    grads = net.gradient(x, t)
    expect_equal(sorted(grads), sorted(net.params), call=f"sorted({where}.gradient(x, t))",
                 note=("パラメータごとに勾配 1 つ、キーも同じ",
                       "one gradient per parameter, with the same keys"))
    for key in sorted(net.params):
        num = numeric(key)
        if key not in grads:
            continue
        if key in zero_keys:
            expect_close(grads[key], np.zeros_like(num), atol=1e-8,
                         call=f"{where}.gradient(x, t)['{key}']",
                         note=("Batch Norm の直前のバイアスには効果がありません: 勾配は 0",
                               "a bias right before Batch Norm has no effect: its gradient is 0"))
        else:
            expect_grad(grads[key], num, call=f"{where}.gradient(x, t)['{key}']", tol=GRAD_TOL)


@kata("ch06.multi_layer_net")
class TestMultiLayerNet:
    def test_params_and_shared_arrays(self):
        net = MultiLayerNet(*SIZES)
        shapes = {k: np.shape(v) for k, v in net.params.items()}
        expect_equal(shapes, {"W1": (5, 4), "b1": (4,), "W2": (4, 3), "b2": (3,), "W3": (3, 3), "b3": (3,)},
                     call="MultiLayerNet(5, [4, 3], 3).params shapes")
        for key in ("b1", "b2", "b3"):
            expect_close(net.params[key], np.zeros_like(net.params[key]), call=f"MultiLayerNet(5, [4, 3], 3).params['{key}']",
                         note=("バイアスの初期値は 0", "biases start at 0"))
        x, _ = _batch(0)
        net.params["W3"][...] = 0.0
        net.params["b3"][...] = [1.0, 2.0, 3.0]
        expect_close(net.predict(x), np.tile([1.0, 2.0, 3.0], (4, 1)),
                     call="net.params['W3'][...] = 0; net.params['b3'][...] = [1, 2, 3]; net.predict(x)",
                     note=("Affine レイヤは net.params の配列そのものを持ちます (コピーではなく)",
                           "the Affine layers must hold the very arrays in net.params (no copies)"))

    def test_initial_scale(self):
        for std, want in [("relu", np.sqrt(2 / 300)), ("sigmoid", np.sqrt(1 / 300)), (0.01, 0.01)]:
            net = MultiLayerNet(300, [200], 10, weight_init_std=std)
            s = net.params["W1"].std()
            expect_true(abs(s / want - 1) < 0.07, call=f"MultiLayerNet(300, [200], 10, weight_init_std={std!r}).params['W1'].std()",
                        note="W = init_scale(weight_init_std, n_in) · randn", actual=s, expected=want)
        net = MultiLayerNet(300, [200], 10)
        s, want = net.params["W2"].std(), np.sqrt(2 / 200)
        expect_true(abs(s / want - 1) < 0.07, call="MultiLayerNet(300, [200], 10).params['W2'].std()",
                    note=("既定値は He (weight_init_std='relu')、W2 では n_in = 200",
                          "the default is He (weight_init_std='relu'), with n_in = 200 for W2"), actual=s, expected=want)

    @pytest.mark.parametrize("activation", ["relu", "sigmoid"])
    def test_predict(self, activation):
        net = MultiLayerNet(*SIZES, activation=activation)
        _set_params(net.params, 1)
        x, _ = _batch(1)
        expect_close(net.predict(x), _trusted_scores(net.params, x, 2, activation),
                     call=f"MultiLayerNet(5, [4, 3], 3, activation={activation!r}).predict(x)",
                     note=("隠れ層ごとに Affine → 活性化、最後に Affine。softmax の前のスコア",
                           "Affine → activation per hidden layer, then the last Affine; scores before softmax"))

    def test_loss_with_weight_decay(self):
        x, t = _batch(2)
        for lam in (0.0, 0.1):
            net = MultiLayerNet(*SIZES, weight_decay_lambda=lam)
            _set_params(net.params, 2)
            decay = 0.5 * lam * sum(np.sum(net.params[f"W{i}"] ** 2) for i in (1, 2, 3))
            expect_close(net.loss(x, t), cross_entropy(_trusted_scores(net.params, x, 2), t) + decay,
                         call=f"MultiLayerNet(5, [4, 3], 3, weight_decay_lambda={lam}).loss(x, t)",
                         note=("交差エントロピー + すべての W についての 0.5·λ·ΣW² (バイアスは含めない)",
                               "cross-entropy + 0.5·λ·ΣW² over every W (biases not included)"))

    def test_weight_decay_in_the_gradient(self):
        x, t = _batch(3)
        plain, decayed = MultiLayerNet(*SIZES), MultiLayerNet(*SIZES, weight_decay_lambda=0.1)
        _set_params(plain.params, 3)
        _set_params(decayed.params, 3)
        g0, g1 = plain.gradient(x, t), decayed.gradient(x, t)
        for key in sorted(plain.params):
            want = 0.1 * plain.params[key] if key.startswith("W") else np.zeros_like(plain.params[key])
            expect_close(g1[key] - g0[key], want, atol=1e-12,
                         call=say(f"gradient(x, t)['{key}'] の λ=0.1 と λ=0 の差", f"gradient(x, t)['{key}'] with λ=0.1 minus with λ=0"),
                         note=("各 W に λ·W、バイアスには何も足しません",
                               "λ·W for each W, nothing for the biases"))

    @pytest.mark.parametrize("activation", ["relu", "sigmoid"])
    def test_gradient_check(self, activation):
        x, t = _batch(4)
        net = MultiLayerNet(*SIZES, activation=activation, weight_decay_lambda=0.1)
        _set_params(net.params, 4)
        assert _min_abs_preactivation(net.params, x, 2) > 1e-3  # the test's own data: no ReLU kink within h
        params = {k: np.array(v) for k, v in net.params.items()}   # the same values, ours
        _grad_check(net, x, t, f"MultiLayerNet(5, [4, 3], 3, activation={activation!r}, weight_decay_lambda=0.1)",
                    lambda key: numerical_gradient(lambda: _true_loss(params, x, t, 0.1, activation), params[key]))

    def test_numerical_gradient_method(self):
        x, t = _batch(5)
        net = MultiLayerNet(*SIZES, weight_decay_lambda=0.05)
        _set_params(net.params, 5)
        before = {k: v.copy() for k, v in net.params.items()}
        num = net.numerical_gradient(x, t)
        for key in sorted(net.params):
            expect_close(net.params[key], before[key], call="net.numerical_gradient(x, t)",
                         note=(f"params['{key}'] は元どおりのはずです",
                               f"params['{key}'] must be exactly as before"))
        grads = net.gradient(x, t)
        for key in sorted(grads):
            # tol 1e-4: the loss's 1e-7 inside the log shifts the numerical gradient a little
            expect_grad(num.get(key), grads[key], call=f"net.numerical_gradient(x, t)['{key}'] vs net.gradient(x, t)",
                        tol=1e-4)

    def test_accuracy(self):
        net = MultiLayerNet(*SIZES)
        _set_params(net.params, 6)
        x, _ = _batch(6, n=8)
        pred = np.argmax(_trusted_scores(net.params, x, 2), axis=1)
        t = pred.copy()
        t[:3] = (t[:3] + 1) % 3
        expect_close(net.accuracy(x, t), 5 / 8, call=say("net.accuracy(x, t)  # 8 個中 5 個のラベルが argmax と一致", "net.accuracy(x, t) with 5 of 8 labels matching the argmax"))
        expect_close(net.accuracy(x, np.eye(3)[t]), 5 / 8, call="net.accuracy(x, one-hot t)")

    @pytest.mark.slow
    def test_weight_decay_shrinks_the_overfitting_gap(self):
        hid, lam = OVERFIT["hidden"], OVERFIT["weight_decay_lambda"]
        plain = MultiLayerNet(64, hid, 10)
        p = train_and_measure(plain, plain.predict)
        decayed = MultiLayerNet(64, hid, 10, weight_decay_lambda=lam)
        d = train_and_measure(decayed, decayed.predict)
        call = f"MultiLayerNet(64, {hid}, 10) on {OVERFIT['train_size']} digits, {OVERFIT['iters']} full-batch SGD steps"
        expect_true(p["train_acc"] == 1.0 and p["test_acc"] < 0.9, call=call,
                    note=("正則化なしだと小さな訓練データを丸暗記し、テストデータでは悪くなります",
                          "without regularisation the net memorises the small training set and does worse on the test set"),
                    actual=say(f"訓練 {p['train_acc']:.3f}, テスト {p['test_acc']:.3f}",
                               f"train {p['train_acc']:.3f}, test {p['test_acc']:.3f}"))
        gap_p, gap_d = p["test_loss"] - p["train_loss"], d["test_loss"] - d["train_loss"]
        expect_true(gap_d < 0.95 * gap_p, call=call + f", weight_decay_lambda={lam}",
                    note=("Weight decay で訓練とテストの差が縮みます (減衰項を除いた交差エントロピーで比較)",
                          "weight decay shrinks the train/test gap (in cross-entropy, without the decay term)"),
                    actual=say(f"Weight decay ありの差 {gap_d:.3f}",
                               f"gap {gap_d:.3f} with decay"), expected=say(f"0.95 × {gap_p:.3f} (なしの差) 未満",
                                                                                                              f"below 0.95 × {gap_p:.3f} (the gap without)"))


def _extend(**kw):
    return MultiLayerNetExtend(*SIZES, **kw)


@kata("ch06.multi_layer_net_extend")
class TestMultiLayerNetExtend:
    def test_plain_is_a_multi_layer_net(self):
        net = _extend(activation="sigmoid", weight_decay_lambda=0.1)
        _set_params(net.params, 10)
        x, t = _batch(10)
        expect_equal(sorted(net.params), ["W1", "W2", "W3", "b1", "b2", "b3"],
                     call="sorted(MultiLayerNetExtend(5, [4, 3], 3).params)")
        expect_close(net.predict(x), _trusted_scores(net.params, x, 2, "sigmoid"),
                     call="MultiLayerNetExtend(5, [4, 3], 3, activation='sigmoid').predict(x)")
        decay = 0.05 * sum(np.sum(net.params[f"W{i}"] ** 2) for i in (1, 2, 3))
        expect_close(net.loss(x, t), cross_entropy(_trusted_scores(net.params, x, 2, "sigmoid"), t) + decay,
                     call="MultiLayerNetExtend(..., weight_decay_lambda=0.1).loss(x, t)",
                     note=("交差エントロピー + 0.5·λ·ΣW² (バイアスは含めない)",
                           "cross-entropy + 0.5·λ·ΣW² (biases not included)"))

    def test_batchnorm_params(self):
        net = _extend(use_batchnorm=True)
        expect_equal(sorted(net.params), ["W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"],
                     call="sorted(MultiLayerNetExtend(5, [4, 3], 3, use_batchnorm=True).params)",
                     note=("gamma{i} と beta{i} は隠れ層にだけ",
                           "gamma{i} and beta{i} for each hidden layer only"))
        for key, value in (("gamma1", 1.0), ("gamma2", 1.0), ("beta1", 0.0), ("beta2", 0.0)):
            if key in net.params:
                expect_close(net.params[key], np.full(np.shape(net.params[key]), value),
                             call=f"MultiLayerNetExtend(..., use_batchnorm=True).params['{key}']")

    def test_batchnorm_forward_order_and_modes(self):
        net = _extend(use_batchnorm=True)
        _set_params(net.params, 11)
        x, _ = _batch(11)
        expect_close(net.predict(x, train_flg=True), _trusted_scores(net.params, x, 2, bn=True),
                     call="MultiLayerNetExtend(..., use_batchnorm=True).predict(x, train_flg=True)",
                     note=("Affine → BatchNorm (学習時はバッチの統計量) → 活性化",
                           "Affine → BatchNorm (batch statistics while training) → activation"))
        a = net.predict(x)
        expect_close(a, net.predict(x, train_flg=False), call="net.predict(x) vs net.predict(x, train_flg=False)",
                     note=("predict の既定はテスト時の動作", "predict tests by default"))
        expect_true(not np.allclose(a, net.predict(x, train_flg=True)), call="net.predict(x) vs net.predict(x, train_flg=True)",
                    note=("テスト時は移動平均の統計量を使うので、ここでは学習時と結果が違うはずです",
                          "test mode uses the running statistics, so it must differ from training mode here"))

    def test_dropout_modes_and_position(self):
        net = _extend(use_dropout=True, dropout_ration=0.3, activation="sigmoid")
        _set_params(net.params, 12)
        x, t = _batch(12)
        expect_close(net.predict(x), _trusted_scores(net.params, x, 2, "sigmoid", dropout=0.3),
                     call="MultiLayerNetExtend(..., use_dropout=True, dropout_ration=0.3, activation='sigmoid').predict(x)",
                     note=("テスト時: 隠れ層の活性化を (1 − 0.3) 倍、Dropout は活性化の直後",
                           "test mode: each hidden activation scaled by (1 − 0.3), Dropout right after the activation"))
        expect_close(net.loss(x, t), net.loss(x, t), call="net.loss(x, t) twice",
        note=("loss の既定はテスト時の動作: ランダムな mask なし",
              "loss tests by default: no random mask"))
        first = net.predict(x, train_flg=True)
        expect_true(any(not np.allclose(first, net.predict(x, train_flg=True)) for _ in range(5)),
                    call=say("net.predict(x, train_flg=True) を何度か", "net.predict(x, train_flg=True) several times"),
                    note=("学習時は新しい Dropout の mask を引きます",
                          "training draws new dropout masks"))

    def test_gradient_check_with_batchnorm(self):
        x, t = _batch(13)
        net = _extend(use_batchnorm=True, weight_decay_lambda=0.05)
        _set_params(net.params, 13)
        params = {k: np.array(v) for k, v in net.params.items()}
        _grad_check(net, x, t, "MultiLayerNetExtend(5, [4, 3], 3, use_batchnorm=True, weight_decay_lambda=0.05)",
                    lambda key: numerical_gradient(lambda: _true_loss(params, x, t, 0.05, bn=True), params[key]),
                    zero_keys=("b1", "b2"))

    def test_gradient_check_with_dropout(self):
        x, t = _batch(14)
        net = _extend(use_dropout=True, dropout_ration=0.3, activation="sigmoid")
        _set_params(net.params, 14)
        gradient = net.gradient

        def seeded_gradient(x_, t_):
            np.random.seed(5)   # the same masks as every call of the numerical gradient
            return gradient(x_, t_)
        net.gradient = seeded_gradient
        params = net.params     # the net's own arrays, perturbed in place: looked up once

        def seeded_loss():
            # The masks are the learner's draw (any sampler with the right odds passes the
            # Dropout kata): here the numerical gradient goes through the learner's predict.
            np.random.seed(5)
            return cross_entropy(net.predict(x, train_flg=True), t, delta=0.0)
        _grad_check(net, x, t, "MultiLayerNetExtend(..., use_dropout=True, dropout_ration=0.3) (masks fixed)",
                    lambda key: numerical_gradient(seeded_loss, params[key]))

    def test_numerical_gradient_method(self):
        x, t = _batch(15)
        net = _extend(use_batchnorm=True)
        _set_params(net.params, 15)
        num, grads = net.numerical_gradient(x, t), net.gradient(x, t)
        for key in sorted(grads):
            if key in ("b1", "b2"):
                continue  # 0 in both, up to rounding
            expect_grad(num.get(key), grads[key], tol=1e-4,
                        call=f"net.numerical_gradient(x, t)['{key}'] vs net.gradient(x, t) (use_batchnorm=True)")

    def test_accuracy_in_test_mode(self):
        net = _extend(use_dropout=True, dropout_ration=0.5)
        _set_params(net.params, 16)
        x, _ = _batch(16, n=8)
        t = np.argmax(_trusted_scores(net.params, x, 2, dropout=0.5), axis=1)
        expect_close(net.accuracy(x, t), 1.0, call=say("net.accuracy(x, ラベル = テストモードのスコアの argmax)", "net.accuracy(x, labels = argmax of the test-mode scores)"),
                     note=("accuracy はテスト時の動作で予測します (Dropout の mask なし)",
                           "accuracy predicts in test mode (no dropout mask)"))

    @pytest.mark.slow
    def test_dropout_shrinks_the_overfitting_gap(self):
        hid, ratio = OVERFIT["hidden"], OVERFIT["dropout_ratio"]
        plain = MultiLayerNetExtend(64, hid, 10)
        p = train_and_measure(plain, plain.predict)
        dropped = MultiLayerNetExtend(64, hid, 10, use_dropout=True, dropout_ration=ratio)
        d = train_and_measure(dropped, dropped.predict)
        call = f"MultiLayerNetExtend(64, {hid}, 10) on {OVERFIT['train_size']} digits, {OVERFIT['iters']} full-batch SGD steps"
        expect_true(p["train_acc"] == 1.0 and p["test_acc"] < 0.9, call=call,
                    note=("正則化なしだと小さな訓練データを丸暗記します",
                          "without regularisation the net memorises the small training set"),
                    actual=say(f"訓練 {p['train_acc']:.3f}, テスト {p['test_acc']:.3f}",
                               f"train {p['train_acc']:.3f}, test {p['test_acc']:.3f}"))
        gap_p, gap_d = p["test_loss"] - p["train_loss"], d["test_loss"] - d["train_loss"]
        expect_true(gap_d < 0.95 * gap_p, call=call + f", use_dropout=True, dropout_ration={ratio}",
                    note=("Dropout で訓練とテストの差が縮みます (テスト時の動作で測った交差エントロピー)",
                          "dropout shrinks the train/test gap (in cross-entropy, measured in test mode)"),
                    actual=say(f"Dropout ありの差 {gap_d:.3f}",
                               f"gap {gap_d:.3f} with dropout"), expected=say(f"0.95 × {gap_p:.3f} (なしの差) 未満",
                                                                                                           f"below 0.95 × {gap_p:.3f} (the gap without)"))
