"""Tests for ch06/weight_init.py (§6.2): weight scales and the activation-distribution experiment."""
import numpy as np
import pytest

from ch06.weight_init import activation_distribution, init_scale
from dlkata.testing import expect_close, expect_equal, expect_true, kata, say

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _trusted_distribution(scale, act, layers=5, nodes=100, samples=1000, seed=0):
    r = np.random.default_rng(seed)
    x = r.standard_normal((samples, nodes))
    out = []
    for _ in range(layers):
        w = r.standard_normal((nodes, nodes)) * scale
        x = act(x @ w)
        out.append(x)
    return out


@kata("ch06.init_scale")
class TestInitScale:
    def test_names(self):
        for name, n, want in [("relu", 100, np.sqrt(2 / 100)), ("he", 50, np.sqrt(2 / 50)),
                              ("sigmoid", 100, np.sqrt(1 / 100)), ("xavier", 784, np.sqrt(1 / 784)),
                              ("ReLU", 8, 0.5), ("Xavier", 4, 0.5)]:
            expect_close(init_scale(name, n), want, call=f"init_scale({name!r}, {n})",
                         note=("He: sqrt(2/n_in)、Xavier (本のもの): sqrt(1/n_in)。名前の大文字小文字は区別しません",
                               "He: sqrt(2/n_in); Xavier (the book's): sqrt(1/n_in); names ignore case"))

    def test_unknown_names_are_refused(self):
        for name in ("tanh", "glorot", "he_normal", ""):
            try:
                got = init_scale(name, 100)
            except ValueError:
                continue
            expect_true(False, call=f"init_scale({name!r}, 100)",
                        note=("He ('relu', 'he') でも Xavier ('sigmoid', 'xavier') でもない名前は ValueError: "
                              "Xavier にしても、本の __init_weight のようにそのまま返してもいけません (綴りの誤りをその場で知らせるため)",
                              "a name that is neither He ('relu', 'he') nor Xavier ('sigmoid', 'xavier') raises "
                              "ValueError: neither Xavier nor, as the book's __init_weight does, the name itself "
                              "(so a misspelling is reported where it happens)"), actual=got, expected="ValueError")
            break

    def test_numbers_pass_through(self):
        for std in (0.01, 1.0, 0.3):
            expect_close(init_scale(std, 100), std, call=f"init_scale({std}, 100)",
                         note=("数ならそれがそのままスケール (n_in によらない)",
                               "a number is the scale itself, whatever n_in"))


@kata("ch06.activation_distribution")
class TestActivationDistribution:
    def test_values_with_the_stated_draw_order(self):
        acts = activation_distribution(1.0, "sigmoid", hidden_layer_num=3, node_num=6, sample_num=4, seed=3)
        want = _trusted_distribution(1.0, _sigmoid, layers=3, nodes=6, samples=4, seed=3)
        expect_equal(len(acts), 3, call="len(activation_distribution(1.0, 'sigmoid', hidden_layer_num=3, ...))")
        for i, (a, w) in enumerate(zip(acts, want)):
            expect_close(a, w, call=say(f"activation_distribution(1.0, 'sigmoid', 6 ノードの層 3 つ, サンプル 4 個, seed=3)[{i}]",
                                          f"activation_distribution(1.0, 'sigmoid', 3 layers of 6, 4 samples, seed=3)[{i}]"),
                         note=("まず x = rng.standard_normal((sample_num, node_num))、次に層ごとに W を 1 つ。各層の出力が次の層の入力",
                               "x = rng.standard_normal((sample_num, node_num)) first, then one W per layer; "
                               "each layer's output is the next one's input"))
        acts = activation_distribution("he", "relu", hidden_layer_num=2, node_num=5, sample_num=3, seed=1)
        want = _trusted_distribution(np.sqrt(2 / 5), lambda a: np.maximum(0, a), layers=2, nodes=5, samples=3, seed=1)
        expect_close(acts[-1], want[-1], call=say("activation_distribution('he', 'relu', 5 ノードの層 2 つ, サンプル 3 個, seed=1)[-1]",
                                                          "activation_distribution('he', 'relu', 2 layers of 5, 3 samples, seed=1)[-1]"))

    def test_std_1_saturates_sigmoid(self):
        acts = activation_distribution(1.0, "sigmoid")
        for i, a in enumerate(acts):
            frac = np.mean((a < 0.1) | (a > 0.9))
            expect_true(frac > 0.6, call=f"activation_distribution(1.0, 'sigmoid')[{i}]",
                        note=("標準偏差 1 だと sigmoid の出力のほとんどが 0 か 1 の近くに偏ります (勾配消失)",
                              "with std 1 most sigmoid outputs sit near 0 or 1 (gradients vanish)"),
                        actual=say(f"{frac:.0%} が 0.1 未満か 0.9 超",
                                   f"{frac:.0%} below 0.1 or above 0.9"),
                        expected=say("60% 超", "more than 60%"))

    def test_std_001_collapses(self):
        acts = activation_distribution(0.01, "sigmoid")
        for i, a in enumerate(acts[1:], start=1):
            expect_true(np.all(np.abs(a - 0.5) < 0.1) and a.std() < 0.03,
                        call=f"activation_distribution(0.01, 'sigmoid')[{i}]",
                        note=("標準偏差 0.01 だと sigmoid の出力がみな 0.5 に集まります (表現力がない)",
                              "with std 0.01 every sigmoid output gathers at 0.5 (no diversity)"),
                        actual=say(f"標準偏差 {a.std():.4f}, 範囲 [{a.min():.3f}, {a.max():.3f}]",
                                   f"std {a.std():.4f}, range [{a.min():.3f}, {a.max():.3f}]"))
        acts = activation_distribution(0.01, "relu")
        ratio = acts[-1].std() / acts[0].std()
        expect_true(ratio < 1e-3, call="activation_distribution(0.01, 'relu')",
                    note=("標準偏差 0.01 だと ReLU の活性化は層を重ねるごとに 0 に近づきます",
                          "with std 0.01 ReLU activations shrink toward 0 layer after layer"),
                    actual=say(f"5 層目の標準偏差 / 1 層目の標準偏差 = {ratio:.2e}",
                               f"std of layer 5 / std of layer 1 = {ratio:.2e}"),
                    expected=say("1e-3 未満", "below 1e-3"))

    def test_xavier_for_sigmoid_spreads(self):
        acts = activation_distribution("xavier", "sigmoid")
        for i, a in enumerate(acts):
            frac = np.mean((a < 0.1) | (a > 0.9))
            expect_true(frac < 0.05 and a.std() > 0.08, call=f"activation_distribution('xavier', 'sigmoid')[{i}]",
                        note=("Xavier ならどの層でも広がりがあり、飽和はわずか",
                              "Xavier keeps a broad spread with little saturation in every layer"),
                        actual=say(f"標準偏差 {a.std():.3f}, 飽和 {frac:.1%}",
                                   f"std {a.std():.3f}, {frac:.1%} saturated"),
                        expected=say("標準偏差 > 0.08, 飽和 < 5%", "std > 0.08, < 5% saturated"))

    def test_he_for_relu_keeps_the_scale(self):
        acts = activation_distribution("he", "relu")
        stds = [a.std() for a in acts]
        expect_true(0.5 < stds[-1] / stds[0] < 2.0, call="activation_distribution('he', 'relu')",
                    note=("He の初期値なら ReLU の活性化の広がりはどの層でもほぼ同じ",
                          "He keeps the spread of ReLU activations about the same through the layers"),
                    actual=np.round(stds, 3))
        zeros = np.mean(acts[-1] == 0)
        expect_true(0.3 < zeros < 0.7, call="activation_distribution('he', 'relu')[-1]",
                    note=("ReLU の出力のおよそ半分が 0",
                          "about half of the ReLU outputs are 0"),
                          actual=say(f"{zeros:.0%} が 0",
                                     f"{zeros:.0%} zeros"))
