"""Tests for ch08/deep_convnet.py (§8.1.1): stage shapes of a conv stack and He initialisation."""
import numpy as np

from ch08.deep_convnet import DEEP_CONVNET_LAYERS, conv_stack_shapes, flattened_size, he_init_params
from dlkata.testing import expect_equal, expect_true, kata, record, rng, say


def conv(fn, fs=3, pad=1, stride=1):
    return {"type": "conv", "filter_num": fn, "filter_size": fs, "pad": pad, "stride": stride}


def pool(ph=2, pw=2, stride=2):
    return {"type": "pool", "pool_h": ph, "pool_w": pw, "stride": stride}


# (3, 12, 16): H ≠ W, C = 3; a conv without padding, a strided conv, a pool that is not square
MIXED = [conv(8), pool(), conv(4, pad=0), conv(5, fs=2, pad=0, stride=2), pool(1, 3, 1)]
MIXED_SHAPES = [(8, 12, 16), (8, 6, 8), (4, 4, 6), (5, 2, 3), (5, 2, 1)]
DEEP_SHAPES = [(16, 28, 28), (16, 28, 28), (16, 14, 14), (32, 14, 14), (32, 16, 16), (32, 8, 8),
               (64, 8, 8), (64, 8, 8), (64, 4, 4)]


def _tuples(shapes):
    try:
        return [tuple(int(v) for v in s) for s in shapes]
    except TypeError:
        return shapes


@kata("ch08.conv_stack_shapes")
class TestConvStackShapes:
    def test_the_books_deep_convnet(self):
        expect_equal(_tuples(conv_stack_shapes((1, 28, 28), DEEP_CONVNET_LAYERS)), DEEP_SHAPES,
                     call="conv_stack_shapes((1, 28, 28), DEEP_CONVNET_LAYERS)",
                     note=("28 → 28 → 14 → 14 → 16 (パディング 2) → 8 → 8 → 4。プーリングはチャンネル数を変えません",
                           "28 → 28 → 14 → 14 → 16 (pad 2) → 8 → 8 → 4; pooling keeps the channels"))
        expect_equal(flattened_size((1, 28, 28), DEEP_CONVNET_LAYERS), 1024,
                     call="flattened_size((1, 28, 28), DEEP_CONVNET_LAYERS)", note="64·4·4")

    def test_simple_convnet_sizes(self):
        layers = [conv(30, fs=5, pad=0), pool()]
        expect_equal(_tuples(conv_stack_shapes((1, 28, 28), layers)), [(30, 24, 24), (30, 12, 12)],
                     call="conv_stack_shapes((1, 28, 28), [conv 30 5×5, pool 2×2])")
        expect_equal(flattened_size((1, 28, 28), layers), 4320, call="flattened_size((1, 28, 28), [conv 30 5×5, pool 2×2])",
                     note=("SimpleConvNet の W2 の行数は 30·12·12", "SimpleConvNet's W2 has 30·12·12 rows"))

    def test_every_parameter_of_a_spec_counts(self):
        expect_equal(_tuples(conv_stack_shapes((3, 12, 16), MIXED)), MIXED_SHAPES,
                     call="conv_stack_shapes((3, 12, 16), MIXED)",
                     note=("conv: filter_num, filter_size, pad, stride。pool: pool_h, pool_w, stride。H と W はそれぞれの大きさで",
                           "conv: filter_num, filter_size, pad and stride; pool: pool_h, pool_w and stride; "
                           "H and W each with their own sizes"))
        expect_equal(flattened_size((3, 12, 16), MIXED), 10, call="flattened_size((3, 12, 16), MIXED)")

    def test_no_layers(self):
        expect_equal(_tuples(conv_stack_shapes((2, 5, 7), [])), [], call="conv_stack_shapes((2, 5, 7), [])")
        expect_equal(flattened_size((2, 5, 7), []), 70, call="flattened_size((2, 5, 7), [])",
                     note=("レイヤがなければ入力そのものを平らにします",
                           "with no layers, the input itself is flattened"))

    def test_rejects_what_does_not_fit(self):
        for layers, what in [([conv(4, fs=3, pad=0, stride=2), pool()], "a 3×3 stride-2 conv on 8×8"),
                             ([{"type": "dense", "size": 10}], "an unknown layer type")]:
            try:
                result = conv_stack_shapes((1, 8, 8), layers)
            except ValueError:
                continue
            record(f"conv_stack_shapes((1, 8, 8), [{what}])", result, say("ValueError の送出", "ValueError raised"),
                   ("割り切れない大きさや知らないレイヤの種類には ValueError を送出します",
                    "sizes that do not tile, and unknown layer types, raise ValueError"))


def _std_ok(w, want, tol):
    return abs(float(np.std(w)) / want - 1) < tol


@kata("ch08.he_init")
class TestHeInit:
    def test_shapes_of_the_deep_convnet(self):
        params = he_init_params((1, 28, 28), DEEP_CONVNET_LAYERS, hidden_size=50, output_size=10, rng=rng(0))
        want = {"W1": (16, 1, 3, 3), "W2": (16, 16, 3, 3), "W3": (32, 16, 3, 3), "W4": (32, 32, 3, 3),
                "W5": (64, 32, 3, 3), "W6": (64, 64, 3, 3), "W7": (1024, 50), "W8": (50, 10)}
        want.update({f"b{i}": (want[f"W{i}"][0] if i <= 6 else want[f"W{i}"][1],) for i in range(1, 9)})
        expect_equal(sorted(params), sorted(want), call="sorted(he_init_params(...))")
        for key, shape in want.items():
            if key in params:
                expect_equal(np.shape(params[key]), shape, call=f"he_init_params((1, 28, 28), DEEP_CONVNET_LAYERS, "
                                                                 f"50, 10)['{key}'].shape")
                if key.startswith("b"):
                    expect_equal(params[key], np.zeros(shape), call=f"he_init_params(...)['{key}']",
                                 note=("バイアスの初期値は 0", "biases start at zero"))

    def test_conv_fan_in_is_what_one_output_sees(self):
        params = he_init_params((1, 28, 28), DEEP_CONVNET_LAYERS, hidden_size=50, output_size=10, rng=rng(1))
        fan_in = {"W1": 1 * 9, "W2": 16 * 9, "W3": 16 * 9, "W4": 32 * 9, "W5": 32 * 9, "W6": 64 * 9,
                  "W7": 1024, "W8": 50}
        for key, n in fan_in.items():
            w = params.get(key)
            if w is None:
                continue
            tol = 0.2 if w.size < 1000 else 0.1  # the spread of a sample std over w.size draws, ≥ 3.4σ
            want = np.sqrt(2.0 / n)
            expect_true(_std_ok(w, want, tol), call=f"np.std(he_init_params(...)['{key}'])",
                        actual=float(np.std(w)),
                        expected=say(f"{want:.4f} = sqrt(2 / {n}) から {tol:.0%} 以内",
                                     f"{want:.4f} = sqrt(2 / {n}) within {tol:.0%}"),
                        note=("He: 標準偏差 sqrt(2 / fan_in)。畳み込み層では fan_in = C_in·FH·FW (画像の大きさでも FN でもなく)、affine 層では入力の大きさ",
                              "He: std sqrt(2 / fan_in), fan_in = C_in·FH·FW for a conv layer (not the image "
                              "size, not FN), the input size for an affine layer"))

    def test_other_inputs_and_stacks(self):
        params = he_init_params((3, 12, 16), MIXED, hidden_size=20, output_size=4, rng=rng(2))
        want = {"W1": (8, 3, 3, 3), "W2": (4, 8, 3, 3), "W3": (5, 4, 2, 2), "W4": (10, 20), "W5": (20, 4)}
        for key, shape in want.items():
            expect_equal(np.shape(params.get(key)), shape, call=f"he_init_params((3, 12, 16), MIXED, 20, 4)['{key}'].shape",
                         note=("プーリング層にはパラメータがありません。キーの番号は畳み込み層と affine 層だけで数えます",
                               "pool layers have no parameters; the keys count the conv and affine layers only"))
        big = he_init_params((40, 30, 30), [conv(64, fs=3, pad=0)], hidden_size=8, output_size=2, rng=rng(3))
        want = np.sqrt(2.0 / (40 * 9))
        expect_true(_std_ok(big["W1"], want, 0.05), call="np.std(he_init_params((40, 30, 30), [conv 64 3×3])['W1'])",
                    actual=float(np.std(big["W1"])), expected=f"{want:.4f} = sqrt(2 / (40·3·3))",
                    note=("fan_in = C·FH·FW = 360 で、C·H·W = 36000 ではありません",
                          "fan_in = C·FH·FW = 360, not C·H·W = 36000"))

    def test_uses_the_given_rng(self):
        a = he_init_params((1, 8, 8), [conv(4), pool()], hidden_size=6, output_size=3, rng=rng(4))
        b = he_init_params((1, 8, 8), [conv(4), pool()], hidden_size=6, output_size=3, rng=rng(4))
        expect_true(all(np.array_equal(a[k], b[k]) for k in a), call="he_init_params(..., rng=rng(4)) twice",
                    note=("同じシードなら同じパラメータ: np.random ではなく rng から引きましょう",
                          "the same seed must give the same parameters: draw from rng, not np.random"))
