"""Tests for ch03/nonlinearity.py (§3.2.6): linear layers collapse into one, which cannot do XOR."""
import numpy as np

from ch03.nonlinearity import collapse_linear, fit_affine
from dlkata.testing import expect_close, expect_true, kata, rng, say

XOR_X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
XOR_T = np.array([0.0, 1.0, 1.0, 0.0])


def linear_stack(network, x, layers):
    """The tests' own forward pass with the identity as the activation."""
    for i in range(1, layers + 1):
        x = x @ network[f"W{i}"] + network[f"b{i}"]
    return x


def random_network(g, sizes):
    net = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = g.standard_normal((n_in, n_out))
        net[f"b{i}"] = g.standard_normal(n_out)
    return net


@kata("ch03.nonlinearity")
class TestNonlinearity:
    def test_two_layers_are_one(self):
        g = rng(31)
        net = random_network(g, (3, 4, 2))
        x = g.standard_normal((5, 3))
        W, b = collapse_linear(net)
        call = "W, b = collapse_linear(network)  # W1 (3, 4), W2 (4, 2)"
        expect_close(x @ W + b, linear_stack(net, x, 2), call=f"{call}; x @ W + b",
                     note=("どの x でも (x·W1 + b1)·W2 + b2 と同じ出力",
                           "the same outputs as (x·W1 + b1)·W2 + b2 for every x"))
        expect_close(W, net["W1"] @ net["W2"], call=f"{call}; W", note=("W = W1·W2: 重み行列の積",
                                                                        "W = W1·W2, the product of the weight matrices"))

    def test_any_depth(self):
        g = rng(32)
        for sizes in ((2, 3), (4, 6, 5, 3, 2), (3, 3, 3, 3, 3, 3, 1)):
            net = random_network(g, sizes)
            x = g.standard_normal((4, sizes[0]))
            W, b = collapse_linear(net)
            expect_close(x @ W + b, linear_stack(net, x, len(sizes) - 1),
                         call=f"collapse_linear(network of {len(sizes) - 1} layers {sizes})",
                         note=("層がいくつでも、辞書にある 'Wi', 'bi' をすべて使います",
                               "every 'Wi', 'bi' in the dict, however many layers"))

    def test_the_books_network(self):
        # §3.4.3's three-layer network with the identity in place of sigmoid.
        net = {"W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
               "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
               "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2])}
        x = np.array([1.0, 0.5])
        W, b = collapse_linear(net)
        expect_close(x @ W + b, linear_stack(net, x, 3), call="W, b = collapse_linear(init_network()); x @ W + b",
                     note=("§3.4.3 のネットワークからシグモイドを除くと 2×2 の 1 層になります",
                           "§3.4.3's network without its sigmoids is one 2×2 layer"))

    def test_fit_affine_recovers_a_line(self):
        g = rng(33)
        x = g.standard_normal((8, 3))
        W0, b0 = g.standard_normal((3, 2)), g.standard_normal(2)
        W, b = fit_affine(x, x @ W0 + b0)
        expect_close(W, W0, rtol=1e-8, atol=1e-10, call="fit_affine(x, x @ W0 + b0)[0]",
                     note=("アフィン写像で作ったデータからは、その写像がそのまま戻ります",
                           "data made by an affine map gives that map back"))
        expect_close(b, b0, rtol=1e-8, atol=1e-10, call="fit_affine(x, x @ W0 + b0)[1]")

    def test_no_linear_network_fits_xor(self):
        W, b = fit_affine(XOR_X, XOR_T)
        y = XOR_X @ np.asarray(W) + b
        expect_close(y, [0.5, 0.5, 0.5, 0.5], rtol=0, atol=1e-9, call="fit_affine(XOR inputs, [0, 1, 1, 0])",
                     note=("最良のアフィン写像 (つまり線形の層をいくつ重ねても最良のもの) は 4 つの入力すべてに 0.5 を返します: どんなしきい値でも XOR にはなりません (非線形の層ならできます、§2.5)",
                           "the best affine map, and so the best stack of linear layers, answers 0.5 for all "
                          "four inputs: no threshold turns that into XOR (non-linear layers can, §2.5)"))
        expect_true(float(np.mean((y - XOR_T) ** 2)) >= 0.25 - 1e-9, call=say("そのあてはめの平均二乗誤差", "mean squared error of that fit"),
                    note=("線形のネットワークでは XOR の誤差は 0.25 より下がりません",
                          "no linear network gets below 0.25 on XOR"), actual=float(np.mean((y - XOR_T) ** 2)),
                    expected="0.25")
