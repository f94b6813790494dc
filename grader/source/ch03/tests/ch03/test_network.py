"""Tests for ch03/network.py (§3.4.3, §3.6), grouped by kata."""
import numpy as np
import pytest

import ch03.network as mod
from ch03.network import accuracy, forward, init_network, predict
from dlkata.testing import expect_close, expect_dtype_kind, expect_equal, expect_true, expect_unchanged, kata, rng, say

# The §3.4.3 network and its known values (facts from the book).
BOOK = {
    "W1": [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], "b1": [0.1, 0.2, 0.3],
    "W2": [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], "b2": [0.1, 0.2],
    "W3": [[0.1, 0.3], [0.2, 0.4]], "b3": [0.1, 0.2],
}
X_BOOK = [1.0, 0.5]
A1 = [0.3, 0.7, 1.1]
Z1 = [0.57444252, 0.66818777, 0.75026011]
A2 = [0.51615984, 1.21402696]
Z2 = [0.62624937, 0.7710107]
Y_BOOK = [0.31682708, 0.69627909]


def book_network() -> dict[str, np.ndarray]:
    return {k: np.array(v) for k, v in BOOK.items()}


# The tests' own trusted forward passes.
def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _forward(net, x):
    z1 = _sigmoid(x @ net["W1"] + net["b1"])
    z2 = _sigmoid(z1 @ net["W2"] + net["b2"])
    return z2 @ net["W3"] + net["b3"]


def _predict(net, x):
    return _softmax(_forward(net, x))


def small_network(seed: int, sizes=(4, 5, 3, 3)) -> dict[str, np.ndarray]:
    """Random weights of the given layer sizes (D, H1, H2, K), fixed by the seed."""
    g = rng(seed)
    net = {}
    for i, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = g.standard_normal((m, n))
        net[f"b{i}"] = 0.5 * g.standard_normal(n)
    return net


@kata("ch03.init_network")
class TestInitNetwork:
    def test_the_book_weights(self):
        net = init_network()
        expect_true(isinstance(net, dict) and set(net) == set(BOOK), call="init_network().keys()",
                    note=("W1, b1, W2, b2, W3, b3 をちょうど持つ dict",
                          "a dict with exactly W1, b1, W2, b2, W3, b3"),
                    actual=sorted(net) if isinstance(net, dict) else net, expected=sorted(BOOK))
        if not isinstance(net, dict):
            return
        for key, want in BOOK.items():
            if key in net:
                expect_close(net[key], np.array(want), call=f"init_network()['{key}']",
                             note=("W の形は (入力数, 出力数)、b は 1 次元",
                                   "shape (inputs, outputs) for W, 1-D for b"))

    def test_float_arrays(self):
        net = init_network()
        for key in BOOK:
            expect_true(isinstance(net.get(key), np.ndarray), call=f"type(init_network()['{key}'])",
                        note=("重みもバイアスもすべて NumPy の配列",
                              "every weight and bias is a NumPy array"), actual=type(net.get(key)).__name__,
                        expected="ndarray")
            if isinstance(net.get(key), np.ndarray):
                expect_dtype_kind(net[key], "f", call=f"init_network()['{key}'].dtype")


@kata("ch03.forward")
class TestForward:
    def test_book_example(self):
        net = book_network()
        x = np.array(X_BOOK)
        expect_close(forward(net, x), np.array(Y_BOOK), call="forward(network, [1.0, 0.5])", rtol=1e-7, atol=1e-8,
                     note=("§3.4.3 の出力層は恒等関数: 最後に sigmoid も softmax も使いません",
                           "the output layer of §3.4.3 is the identity: no sigmoid or softmax at the end"))

    def test_intermediate_values(self, monkeypatch):
        seen = []
        real = mod.sigmoid

        def recording_sigmoid(a):
            z = real(a)
            seen.append((np.array(a, dtype=float), np.array(z, dtype=float)))
            return z

        monkeypatch.setattr(mod, "sigmoid", recording_sigmoid)
        forward(book_network(), np.array(X_BOOK))
        expect_equal(len(seen), 2, call="forward(network, [1.0, 0.5])",
                     note=("ch03.activation の sigmoid の呼び出し: 隠れ層ごとに 1 回、出力層では 0 回",
                           "calls to sigmoid from ch03.activation: one per hidden layer, none on the output layer"))
        layers = [(A1, Z1, "A1 = x·W1 + b1", "Z1 = sigmoid(A1)"), (A2, Z2, "A2 = Z1·W2 + b2", "Z2 = sigmoid(A2)")]
        for (a, z), (a_want, z_want, a_call, z_call) in zip(seen, layers):
            expect_close(a, np.array(a_want), call=a_call, rtol=1e-7, atol=1e-8,
            note=("この層が sigmoid に渡す値",
                  "what this layer passes to sigmoid"))
            expect_close(z, np.array(z_want), call=z_call, rtol=1e-7, atol=1e-8)

    def test_batch(self):
        net = book_network()
        X = np.array([[1.0, 0.5], [0.0, 0.0], [-2.0, 1.5]])
        before = {k: v.copy() for k, v in net.items()}
        x_before = X.copy()
        got = forward(net, X)
        expect_close(got, _forward(net, X), call="forward(network, X of shape (3, 2))",
                     note=("形は (3, 2): サンプルごとに出力 1 行", "shape (3, 2): one output row per sample"))
        expect_unchanged(X, x_before, call="forward(network, X)",
        note=("X を変えてはいけません",
              "X must not change"), name="X")
        for k in net:
            expect_unchanged(net[k], before[k], call="forward(network, X)",
            note=(f"network['{k}'] を変えてはいけません",
                  f"network['{k}'] must not change"), name=f"network['{k}']")


@kata("ch03.predict")
class TestPredict:
    def test_batch_of_two(self):
        net = small_network(0)
        X = rng(10).standard_normal((2, 4))
        got = predict(net, X)
        expect_close(got, _predict(net, X), call="predict(network, X of shape (2, 4))",
                     note=("sigmoid、sigmoid、そして出力層で softmax (§3.6.2)。形は (2, 3)",
                           "sigmoid, sigmoid, then softmax on the output layer (§3.6.2); shape (2, 3)"))
        expect_close(np.sum(got, axis=-1), np.ones(2), call="predict(network, X).sum(axis=1)",
                     note=("各行がクラス上の確率分布",
                           "each row is a probability distribution over the classes"))

    def test_square_batch_and_more_classes(self):
        net = small_network(1, sizes=(3, 6, 4, 5))
        X = rng(11).standard_normal((5, 3))
        expect_close(predict(net, X), _predict(net, X), call=say("predict(network, X)  # X の形は (5, 3)、クラスは 5 つ", "predict(network, X of shape (5, 3)) with 5 classes"),
                     note=("softmax は各行 (各サンプル) を正規化します。列ではありません",
                           "softmax normalises each row (each sample), never a column"))
        net = small_network(2, sizes=(3, 4, 4, 3))
        X = rng(12).standard_normal((3, 3))
        expect_close(predict(net, X), _predict(net, X), call=say("predict(network, X)  # X の形は (3, 3)、クラスは 3 つ", "predict(network, X of shape (3, 3)) with 3 classes"))

    def test_one_sample(self):
        net = small_network(3)
        x = rng(13).standard_normal(4)
        before = x.copy()
        expect_close(predict(net, x), _predict(net, x), call="predict(network, x of shape (4,))",
                     note=("サンプル 1 個 (D,) なら (K,)", "one sample (D,) gives (K,)"))
        expect_unchanged(x, before, call="predict(network, x)",
        note=("x を変えてはいけません",
              "x must not change"), name="x")


def _fake_data(n=250, k=3):
    """x[:, 0] is the class the fake predict will choose, x[:, 1] the sample's index.

    In the first 200 samples every other prediction is wrong; the last 50 are all right:
    150 of 250 correct (0.6). Dropping the last partial batch gives 0.4 or 0.5.
    """
    g = rng(20)
    pred = g.integers(0, k, n)
    t = pred.copy()
    t[1:200:2] = (pred[1:200:2] + 1) % k
    x = np.stack([pred.astype(float), np.arange(n, dtype=float)], axis=1)
    return x, t


def _fake_predict(calls, k=3):
    def fake(network, xb):
        xb = np.asarray(xb)
        calls.append(xb[:, 1].astype(int).tolist())
        scores = np.full((len(xb), k), 0.1)
        scores[np.arange(len(xb)), xb[:, 0].astype(int)] = 0.8
        return scores
    return fake


@kata("ch03.accuracy")
class TestAccuracy:
    def test_counts_the_last_partial_batch(self, monkeypatch):
        calls = []
        monkeypatch.setattr(mod, "predict", _fake_predict(calls))
        x, t = _fake_data()
        acc = accuracy({}, x, t, batch_size=100)
        expect_close(acc, 0.6, call="accuracy(network, x (250 samples), t, batch_size=100)",
                     note=("250 個中 150 個が正解。最後のバッチは 50 個だけですが、それも数えます",
                           "150 of 250 right; the last batch holds only 50 samples and still counts"))
        expect_equal([len(c) for c in calls], [100, 100, 50], call="accuracy(network, x, t, batch_size=100)",
                     note=("predict に渡したバッチの大きさ", "sizes of the batches given to predict"))
        expect_equal(sum(calls, []), list(range(250)), call="accuracy(network, x, t, batch_size=100)",
                     note=("どのサンプルも順番どおりちょうど 1 回 predict に渡します",
                           "every sample goes to predict exactly once, in order"))

    # t holds class indices, as the book's get_data() gives them (one_hot_label=False, §3.6.2);
    # one-hot rows are not required.

    def test_other_batch_sizes(self, monkeypatch):
        calls = []
        monkeypatch.setattr(mod, "predict", _fake_predict(calls))
        x, t = _fake_data()
        for bs, sizes in [(1, [1] * 250), (250, [250]), (300, [250]), (64, [64, 64, 64, 58])]:
            calls.clear()
            acc = accuracy({}, x, t, batch_size=bs)
            expect_close(acc, 0.6, call=f"accuracy(network, x (250 samples), t, batch_size={bs})")
            expect_equal([len(c) for c in calls], sizes, call=f"accuracy(network, x, t, batch_size={bs})",
                         note=("predict に渡したバッチの大きさ", "sizes of the batches given to predict"))
        expect_true(isinstance(acc, (float, np.floating)), call="type(accuracy(network, x, t))",
                    note=("個数ではなく [0, 1] の割合 (float)",
                          "a float fraction in [0, 1], not a count"), actual=type(acc).__name__, expected="float")

    def test_with_a_real_network(self):
        net = small_network(4, sizes=(4, 6, 5, 3))
        g = rng(21)
        x = g.standard_normal((230, 4))
        t = np.argmax(_predict(net, x) + 0.35 * g.standard_normal((230, 3)), axis=1)
        want = float(np.mean(np.argmax(_predict(net, x), axis=1) == t))
        expect_close(accuracy(net, x, t), want, call="accuracy(network, x (230 samples), t)",
                     note=("batch_size の既定値は 100: バッチは 100, 100, 30",
                           "batch_size defaults to 100: batches of 100, 100 and 30"))
        expect_close(accuracy(net, x, t, batch_size=7), want, call="accuracy(network, x, t, batch_size=7)")

    @pytest.mark.slow
    def test_digits_with_a_least_squares_output_layer(self):
        """Real data: random sigmoid hidden layers, the output layer fitted by least squares (§3.6 on digits)."""
        from dlkata.data import load_digits

        (x_train, t_train), (x_test, t_test) = load_digits(one_hot_label=True)
        net = small_network(5, sizes=(64, 100, 100, 10))
        net["W1"] *= 0.5
        z_train = _sigmoid(_sigmoid(x_train @ net["W1"] + net["b1"]) @ net["W2"] + net["b2"])
        feats = np.hstack([z_train, np.ones((len(z_train), 1))])
        coef = np.linalg.solve(feats.T @ feats + 1e-3 * np.eye(feats.shape[1]), feats.T @ t_train)
        net["W3"], net["b3"] = coef[:-1], coef[-1]
        want = float(np.mean(np.argmax(_predict(net, x_test), axis=1) == np.argmax(t_test, axis=1)))
        acc = accuracy(net, x_test, np.argmax(t_test, axis=1), batch_size=100)
        expect_close(acc, want, call="accuracy(network, x_test (359 digits), t_test, batch_size=100)")
        expect_true(want > 0.85, call=say("数字画像のテストデータでの、信頼できる実装の認識精度", "trusted accuracy on the digits test set"),
        note=("当てはめたネットワークなので精度は高いはずです",
              "the fitted network should be good"),
                    actual=want, expected="> 0.85")
