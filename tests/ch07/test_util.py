"""Tests for ch07/util.py (§7.2.4, §7.4.2–§7.4.3), grouped by kata.

im2col and col2im are compared with naive loops (tests/ch07/helpers.py) on shapes
chosen so that any mix-up of axes shows: C ≥ 2, FH ≠ FW, H ≠ W, OH ≠ OW,
stride 2 with padding 1.
"""
import numpy as np

from ch07.util import col2im, conv_output_size, im2col
from dlkata.testing import advise, expect_close, expect_equal, expect_true, expect_unchanged, kata, python_lines, record, rng, say
from tests.ch07.helpers import coverage, loop_col2im, loop_im2col

# (input shape, FH, FW, stride, pad): the last ones have C ≥ 2, FH ≠ FW, H ≠ W, stride 2, pad 1
CASES = [
    ((2, 2, 4, 5), 2, 3, 1, 0),
    ((2, 3, 5, 6), 3, 2, 2, 1),
    ((3, 2, 6, 4), 2, 2, 2, 0),
    ((2, 3, 4, 3), 3, 3, 1, 1),
]


def _args(shape, fh, fw, stride, pad):
    return f"x of shape {shape}, {fh}, {fw}, stride={stride}, pad={pad}"


def expect_value_error(fn, *args, call: str, note: str) -> bool:
    try:
        result = fn(*args)
    except ValueError:
        return True
    return record(call, result, say("ValueError の送出", "ValueError raised"), note)


@kata("ch07.conv_output_size")
class TestConvOutputSize:
    def test_known_sizes(self):
        # (H, FH, S, P) -> OH: §7.2 examples, SimpleConvNet on MNIST, the DeepConvNet stages
        for args, want in [((4, 3, 1, 0), 2), ((4, 3, 1, 1), 4), ((7, 3, 2, 0), 3), ((7, 3, 2, 1), 4),
                           ((28, 5, 1, 0), 24), ((24, 2, 2, 0), 12), ((28, 3, 1, 1), 28),
                           ((14, 3, 1, 2), 16), ((16, 2, 2, 0), 8), ((5, 5, 1, 0), 1)]:
            expect_equal(conv_output_size(*args), want, call=f"conv_output_size{args}")

    def test_defaults_are_stride_1_pad_0(self):
        expect_equal(conv_output_size(7, 3), 5, call="conv_output_size(7, 3)")

    def test_returns_an_int(self):
        for args in [(28, 5, 1, 0), (7, 3, 2, 1), (24, 2, 2, 0)]:
            r = conv_output_size(*args)
            expect_true(isinstance(r, (int, np.integer)) and not isinstance(r, bool),
                        call=f"conv_output_size{args}", actual=r, expected=say("int の値", "an int"),
                        note=("大きさは int: (H + 2P - FH) / S は float になります。割り切れると確かめてから // を使いましょう",
                              "a size must be an int: (H + 2P - FH) / S gives a float, use // "
                              "once you know it divides"))

    def test_raises_when_the_windows_do_not_tile(self):
        for args in [(8, 3, 2, 0), (28, 5, 2, 0), (6, 2, 4, 1)]:
            expect_value_error(conv_output_size, *args, call=f"conv_output_size{args}",
                               note=("H + 2P - FH が S の倍数ではありません: ValueError を送出しましょう",
                                     "H + 2P - FH is not a multiple of S: raise ValueError"))

    def test_raises_when_the_filter_does_not_fit(self):
        expect_value_error(conv_output_size, 3, 5, 1, 0, call="conv_output_size(3, 5, 1, 0)",
                           note=("幅 5 のフィルタは 3 ピクセルに収まりません: ValueError を送出しましょう",
                                 "a 5-wide filter does not fit in 3 pixels: raise ValueError"))


@kata("ch07.im2col")
class TestIm2col:
    def test_shapes_of_the_book(self):
        expect_equal(np.shape(im2col(np.zeros((1, 3, 7, 7)), 5, 5, stride=1, pad=0)), (9, 75),
                     call="im2col(np.zeros((1, 3, 7, 7)), 5, 5, stride=1, pad=0).shape")
        expect_equal(np.shape(im2col(np.zeros((10, 3, 7, 7)), 5, 5, stride=1, pad=0)), (90, 75),
                     call="im2col(np.zeros((10, 3, 7, 7)), 5, 5, stride=1, pad=0).shape")

    def test_matches_a_direct_loop(self):
        g = rng(0)
        for shape, fh, fw, stride, pad in CASES:
            x = g.standard_normal(shape)
            expect_close(im2col(x, fh, fw, stride, pad), loop_im2col(x, fh, fw, stride, pad),
                         call=f"im2col({_args(shape, fh, fw, stride, pad)})",
                         note=("行は (n, oh, ow) の順、列は (c, fh, fw) の順",
                               "rows in order (n, oh, ow), columns in order (c, fh, fw)"))

    def test_columns_follow_the_filter_layout(self):
        # One window and C = 2: the row must be x[0].ravel(), in (c, fh, fw) order like W.reshape(FN, -1).
        x = np.arange(12, dtype=float).reshape(1, 2, 2, 3)
        expect_close(im2col(x, 2, 3), x.reshape(1, -1), call=say("im2col(x, 2, 3)  # x の形は (1, 2, 2, 3)", "im2col(x, 2, 3) with x of shape (1, 2, 2, 3)"),
                     note=("画像全体を覆うウィンドウは、チャンネルごとにその画像そのもの",
                           "a window that covers the whole image is that image, channel by channel"))

    def test_padding_is_zeros(self):
        x = np.ones((2, 2, 3, 4))
        col = im2col(x, 3, 3, 1, 1)
        expect_close(col, loop_im2col(x, 3, 3, 1, 1), call="im2col(np.ones((2, 2, 3, 4)), 3, 3, stride=1, pad=1)")

    def test_leaves_the_input_alone(self):
        x = rng(1).standard_normal((2, 3, 5, 6))
        before = x.copy()
        im2col(x, 3, 2, 2, 1)
        expect_unchanged(x, before, call="im2col(x, 3, 2, stride=2, pad=1)",
        note=("x を変えてはいけません",
              "x must not change"), name="x")

    def test_a_batch_of_64_and_advice_on_loops(self):
        # How many lines ran is advice only: measured while the learner's code runs, it is
        # theirs to forge in a grading sandbox, so it never decides the verdict (docs/grading.md).
        x = rng(2).standard_normal((64, 2, 10, 10))
        expect_close(im2col(x, 2, 2, 1, 0), loop_im2col(x, 2, 2, 1, 0), call="im2col(x of shape (64, 2, 10, 10), 2, 2)")
        lines = python_lines(im2col, x, 2, 2, 1, 0)
        advise(lines <= 80, call="im2col(x of shape (64, 2, 10, 10), 2, 2)",
        actual=say(f"Python の行を {lines} 行実行",
                   f"{lines} Python lines ran"),
                    expected=say("80 行以下 (2×2 のフィルタ内の位置でループ)",
                                 "at most 80 (a loop over the 2×2 filter offsets)"),
                    note=("ループはフィルタ内の位置 (fh, fw) だけで回します。画像や出力の位置では回しません (§7.4.2)",
                          "loop over the filter offsets (fh, fw) only, never over images or output positions (§7.4.2)"))


@kata("ch07.col2im")
class TestCol2im:
    def test_matches_a_direct_loop(self):
        g = rng(3)
        for shape, fh, fw, stride, pad in CASES:
            oh = (shape[2] + 2 * pad - fh) // stride + 1
            ow = (shape[3] + 2 * pad - fw) // stride + 1
            col = g.standard_normal((shape[0] * oh * ow, shape[1] * fh * fw))
            expect_close(col2im(col, shape, fh, fw, stride, pad), loop_col2im(col, shape, fh, fw, stride, pad),
                         call=f"col2im(col, {shape}, {fh}, {fw}, stride={stride}, pad={pad})")

    def test_overlapping_windows_add_up(self):
        # 3×3 windows at stride 1 on 4×4: corners are covered once, the middle four pixels four times.
        x = rng(4).standard_normal((2, 2, 4, 4))
        counts = coverage(x.shape, 3, 3)
        expect_close(col2im(loop_im2col(x, 3, 3), x.shape, 3, 3), x * counts,
                     call=say("col2im(im2col(x, 3, 3), x.shape, 3, 3)  # x の形は (2, 2, 4, 4)", "col2im(im2col(x, 3, 3), x.shape, 3, 3) with x of shape (2, 2, 4, 4)"),
                     note=("各ピクセルは x にそれを覆うウィンドウの数を掛けたもの: += で足し込みましょう",
                           "each pixel must be x times the number of windows covering it: accumulate with +="))
        expect_close(col2im(np.ones((8, 18)), (2, 2, 4, 4), 3, 3), counts,
                     call="col2im(np.ones((8, 18)), (2, 2, 4, 4), 3, 3)",
                     note=("すべて 1 の列を戻すと覆う回数 [[1, 2, 2, 1], [2, 4, 4, 2], ...] になります",
                           "ones fold back into the coverage counts [[1, 2, 2, 1], [2, 4, 4, 2], ...]"))

    def test_is_the_adjoint_of_im2col(self):
        # <im2col(x), c> = <x, col2im(c)> for every x and c: col2im is exactly what backward needs.
        g = rng(5)
        shape, fh, fw, stride, pad = CASES[1]
        x = g.standard_normal(shape)
        c = g.standard_normal(loop_im2col(x, fh, fw, stride, pad).shape)
        expect_close(np.sum(x * col2im(c, shape, fh, fw, stride, pad)),
                     np.sum(loop_im2col(x, fh, fw, stride, pad) * c),
                     call=f"np.sum(x * col2im(c, {shape}, {fh}, {fw}, stride={stride}, pad={pad}))",
                     note=("np.sum(im2col(x) * c) と等しいはずです", "must equal np.sum(im2col(x) * c)"))

    def test_drops_the_padding(self):
        out = col2im(np.ones((2 * 3 * 4, 3 * 3 * 2)), (2, 3, 5, 6), 3, 2, 2, 1)
        expect_equal(np.shape(out), (2, 3, 5, 6), call="col2im(col, (2, 3, 5, 6), 3, 2, stride=2, pad=1).shape")

    def test_leaves_col_alone_and_advice_on_loops(self):
        col = rng(6).standard_normal((64 * 81, 8))
        before = col.copy()
        lines = python_lines(col2im, col, (64, 2, 10, 10), 2, 2, 1, 0)
        expect_unchanged(col, before, call="col2im(col, (64, 2, 10, 10), 2, 2)",
        note=("col を変えてはいけません",
              "col must not change"), name="col")
        advise(lines <= 80, call="col2im(col, (64, 2, 10, 10), 2, 2)",
        actual=say(f"Python の行を {lines} 行実行",
                   f"{lines} Python lines ran"),
                    expected=say("80 行以下 (2×2 のフィルタ内の位置でループ)",
                                 "at most 80 (a loop over the 2×2 filter offsets)"),
                    note=("ループはフィルタ内の位置 (fh, fw) だけで回します。画像や出力の位置では回しません",
                          "loop over the filter offsets (fh, fw) only, never over images or output positions"))



@kata("ch07.conv_output_size", hidden=True)
class TestConvOutputSizeAgain:
    def test_more_sizes(self):
        for args, want in [((9, 3, 3, 0), 3), ((10, 4, 2, 1), 5), ((6, 1, 1, 0), 6)]:
            expect_equal(conv_output_size(*args), want, call=f"conv_output_size{args}")
