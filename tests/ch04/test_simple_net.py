"""Tests for ch04/simple_net.py (§4.4.2)."""
import numpy as np

from ch04.simple_net import simpleNet
from dlkata.testing import expect_close, expect_equal, expect_true, kata, numerical_gradient, rng

# The weights the book prints for its example (§4.4.2).
W_BOOK = np.array([[0.47355232, 0.9977393, 0.84668094],
                   [0.85557411, 0.03563661, 0.69422093]])
X_BOOK = np.array([0.6, 0.9])
T_BOOK = np.array([0.0, 0.0, 1.0])


def _net(W=W_BOOK):
    net = simpleNet()
    net.W = W.copy()
    return net


def _loss(W, x, t):
    """The tests' own softmax + cross-entropy, for labels as indices."""
    a = np.atleast_2d(x @ W)
    e = np.exp(a - a.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(y[np.arange(len(y)), t] + 1e-7))


@kata("ch04.simple_net")
class TestSimpleNet:
    def test_predict_book_example(self):
        net = _net()
        p = net.predict(X_BOOK)
        expect_close(p, [1.05414809, 0.63071653, 1.1328074], rtol=1e-7,
                     call="net.predict(np.array([0.6, 0.9]))  # net.W = the book's W",
                     note=("softmax の前のスコア x·W", "the scores x·W, before softmax"))
        expect_equal(int(np.argmax(p)) if np.size(p) == 3 else None, 2, call="np.argmax(net.predict(x))")

    def test_predict_batch(self):
        g = rng(0)
        W = g.normal(size=(2, 3))
        x = g.normal(size=(4, 2))
        expect_close(_net(W).predict(x), x @ W, call="net.predict(x)  # x shape (4, 2)",
                     note=("バッチならサンプルごとにスコア 1 行、形は (4, 3)",
                           "a batch gives one row of scores per sample, shape (4, 3)"))

    def test_loss_book_example(self):
        net = _net()
        # Recomputed from the 8-digit W; the book prints 0.92806853663411326 (its W had more digits).
        expect_close(net.loss(X_BOOK, T_BOOK), 0.9280682857864075, rtol=0, atol=1e-6,
                     call="net.loss(np.array([0.6, 0.9]), np.array([0, 0, 1]))  # net.W = the book's W",
                     note="cross_entropy_error(softmax(x·W), t)")
        expect_equal(net.W, W_BOOK, call="net.loss(x, t)",
        note=("loss は net.W を変えてはいけません",
              "loss must not change net.W"))

    def test_loss_batch_and_labels(self):
        g = rng(1)
        W = g.normal(size=(2, 3))
        x = g.normal(size=(3, 2))
        labels = np.array([2, 0, 1])
        want = _loss(W, x, labels)
        net = _net(W)
        expect_close(net.loss(x, np.eye(3)[labels]), want, call="net.loss(x, t)  # x (3, 2), t one-hot (3, 3)",
                     note=("softmax + 交差エントロピーのバッチ平均",
                           "mean over the batch of softmax + cross-entropy"))
        expect_close(net.loss(x, labels), want, call="net.loss(x, np.array([2, 0, 1]))  # index labels")

    def test_gradient_of_the_loss_book_example(self):
        # §4.4.2: the loss must read net.W when called, so moving net.W's entries moves the loss.
        net = _net()
        dW = numerical_gradient(lambda: net.loss(X_BOOK, T_BOOK), net.W, h=1e-4)
        expect_close(dW, [[0.21924757, 0.14356243, -0.36281], [0.32887136, 0.21534364, -0.544215]],
                     rtol=0, atol=1e-6, call="numerical_gradient(lambda w: net.loss(x, t), net.W)  # the book's W",
                     note=("loss は呼ばれた時点の self.W を使います。前に作ったコピーではありません",
                           "the loss must use self.W at the time it is called, not a copy made earlier"))
        expect_true(np.all(np.isfinite(dW)), call="numerical_gradient(lambda w: net.loss(x, t), net.W)",
                    note=("勾配は有限の値", "finite gradient"))
