"""Tests for ch04/gradient.py (§4.3, §4.4), grouped by kata."""
import warnings

import numpy as np

from ch04.gradient import gradient_descent, numerical_diff, numerical_gradient
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, portable, rng, say


@portable
def function_1(x):
    """The book's example for §4.3.2: 0.01x² + 0.1x, whose derivative is 0.02x + 0.1."""
    return 0.01 * x ** 2 + 0.1 * x


@portable
def function_2(x):
    """The book's example for §4.3.3: x0² + x1²."""
    return x[0] ** 2 + x[1] ** 2


@portable
def sum_of_squares(x):
    return np.sum(x ** 2)


@kata("ch04.numerical_diff")
class TestNumericalDiff:
    def test_book_examples(self):
        # A forward difference gives 0.20000099999917254 and 0.3000009999976072: off by 1e-6.
        expect_close(numerical_diff(function_1, 5), 0.2, rtol=0, atol=1e-9,
                     call="numerical_diff(lambda x: 0.01*x**2 + 0.1*x, 5)",
                     note=("真の傾きは 0.2。中心差分なら誤差 1e-9 以内 (前方差分だと 1e-6 ずれます)",
                           "the true slope is 0.2; a central difference is within 1e-9 (a forward one is off by 1e-6)"))
        expect_close(numerical_diff(function_1, 10), 0.3, rtol=0, atol=1e-9,
                     call="numerical_diff(lambda x: 0.01*x**2 + 0.1*x, 10)")

    def test_central_difference(self):
        expect_close(numerical_diff(np.sin, 1.0), np.cos(1.0), rtol=0, atol=1e-8,
                     call="numerical_diff(np.sin, 1.0)",
                     note=("cos(1)。中心差分の誤差は約 h²/6、片側差分だと約 h/2",
                           "cos(1); a central difference errs by about h²/6, a one-sided one by about h/2"))
        expect_close(numerical_diff(np.exp, -2.0), np.exp(-2.0), rtol=1e-8, atol=0,
                     call="numerical_diff(np.exp, -2.0)")

    def test_step_is_1e_minus_4(self):
        # For x³ at 0 the central difference is ((h)³ − (−h)³) / 2h = h² exactly.
        expect_close(numerical_diff(lambda x: x ** 3, 0.0), 1e-8, rtol=1e-6,
                     call="numerical_diff(lambda x: x**3, 0.0)",
                     note=("中心差分ならちょうど h²: h は 1e-4 にします (§4.3.1)。h = 1e-50 は丸めで消え、小さすぎる h では 0 になります",
                           "equals h² for a central difference: h must be 1e-4 (§4.3.1); "
                           "h = 1e-50 rounds to nothing, and a tiny h gives 0"))


@kata("ch04.numerical_gradient")
class TestNumericalGradient:
    def test_book_points(self):
        for point, want in (([3.0, 4.0], [6.0, 8.0]), ([0.0, 2.0], [0.0, 4.0]), ([3.0, 0.0], [6.0, 0.0])):
            got = numerical_gradient(function_2, np.array(point))
            expect_close(got, want, rtol=1e-7, atol=1e-7,
                         call=f"numerical_gradient(lambda x: x[0]**2 + x[1]**2, np.array({point}))")

    def test_any_shape(self):
        g = rng(0)
        for shape in ((2, 3), (2, 2, 3)):
            x = g.uniform(-1.5, 1.5, size=shape)
            c = g.normal(size=shape)
            got = numerical_gradient(lambda a: np.sum(c * np.sin(a)) + np.sum(a) ** 2, x)
            want = c * np.cos(x) + 2 * np.sum(x)
            expect_close(got, want, rtol=1e-6, atol=1e-7,
                         call=f"numerical_gradient(lambda a: np.sum(c*np.sin(a)) + np.sum(a)**2, x)  # x shape {shape}",
                         note=("要素ごとに偏微分 1 つ、x と同じ形の配列で",
                               "one partial derivative per element, in an array of x's shape"))

    def test_restores_x_exactly(self):
        x = np.array([[0.1, 1 / 3, -2.7], [1e-5, 5.0, -6e-6]])  # x − h + h is not always x
        before = x.copy()
        seen = []

        def f(a):
            seen.append(a.copy())
            return np.sum(a ** 3)

        numerical_gradient(f, x)
        expect_true(x.tobytes() == before.tobytes(), call="numerical_gradient(f, x)",
                    note=("x は (ビット単位で) 元どおりに: 各要素を保存して戻しましょう。h を足して引き直すのではありません",
                          "x must be exactly as before (bit for bit): save each element and put it back, "
                          "do not add h and subtract it again"), actual=x, expected=before)
        moved = [int(np.sum(a != before)) for a in seen]
        expect_true(len(seen) > 0 and max(moved) <= 1, call="numerical_gradient(f, x)",
                    note=("f を呼ぶたびに、動かす要素は 1 つだけで他は元の値のはずです: 次の要素を動かす前に元に戻しましょう",
                          "each call of f must see x with one element moved and all others at their own values: "
                          "restore an element before moving the next"),
                    actual=say(f"f の各呼び出しで動いた要素の数: {moved}",
                               f"elements moved in each call of f: {moved}"),
                    expected=say("どれも 1 以下", "at most 1 each"))

    def test_works_in_place(self):
        # Networks (§4.4.2) pass a function that ignores its argument and reads the weights itself.
        W = np.array([[0.5, -1.0], [2.0, 0.25]])
        before = W.copy()
        got = numerical_gradient(lambda _: np.sum(W ** 2), W)
        expect_close(got, 2 * before, rtol=1e-7, atol=1e-7,
                     call="numerical_gradient(lambda _: np.sum(W**2), W)",
                     note=("呼び出し側の float 配列をその場で動かします (f は引数ではなく W を読むことがあります)",
                           "perturb the caller's float array in place (f may read W, not its argument)"))
        expect_true(W.tobytes() == before.tobytes(), call="numerical_gradient(lambda _: np.sum(W**2), W)",
                    note=("終わったあと W は元どおりのはずです",
                          "W must be exactly as before afterwards"), actual=W, expected=before)

    # x is a float array, as everywhere the book calls it (§4.4, §4.5): an integer x is not
    # required (gradient_descent makes its own float copy).


@kata("ch04.gradient_descent")
class TestGradientDescent:
    def test_book_run(self):
        got = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
        expect_close(got, [-6.11110793e-10, 8.14814391e-10], rtol=1e-6, atol=1e-18,
                     call="gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)",
                     note=("1 ステップごとに x に 1 − 2·lr = 0.8 が掛かるので x = 0.8¹⁰⁰ · (−3, 4)",
                           "each step multiplies x by 1 − 2·lr = 0.8, so x = 0.8¹⁰⁰ · (−3, 4)"))

    def test_one_step_goes_downhill(self):
        got = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=1)
        expect_close(got, [-2.4, 3.2], rtol=1e-7, atol=1e-9,
                     call="gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3.0, 4.0]), lr=0.1, step_num=1)",
                     note=("x − lr·∇f = (−3, 4) − 0.1·(−6, 8): 勾配と逆向きに進みます",
                           "x − lr·∇f = (−3, 4) − 0.1·(−6, 8): step against the gradient"))
        got = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=0)
        expect_close(got, [-3.0, 4.0], call="gradient_descent(f, np.array([-3.0, 4.0]), lr=0.1, step_num=0)",
                     note=("0 ステップなら x は初期値のまま", "no step leaves x where it started"))

    def test_defaults(self):
        got = gradient_descent(function_2, np.array([-3.0, 4.0]))
        expect_close(got, [-0.39785867, 0.53047822], rtol=1e-7,
                     call="gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3.0, 4.0]))",
                     note=("既定値は lr=0.01, step_num=100: x = 0.98¹⁰⁰ · (−3, 4)",
                           "defaults lr=0.01, step_num=100: x = 0.98¹⁰⁰ · (−3, 4)"))

    def test_integer_start(self):
        call = "gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3, 4]), lr=0.1, step_num=1)"
        note = ("整数の開始点でも動きます: 本の版 (x = init_x; x -= ...) はここで止まります。"
                "整数の配列は -2.4 を保持できないので、float のコピーで計算しましょう",
                "an integer start works: the book's version (x = init_x; x -= ...) stops here, "
                "an integer array cannot hold -2.4; compute on a float copy")
        try:
            got = gradient_descent(function_2, np.array([-3, 4]), lr=0.1, step_num=1)
        except TypeError as e:   # numpy's UFuncTypeError: x -= ... on an integer array
            expect_true(False, call=call, note=note, actual=f"{type(e).__name__}: {e}", expected=[-2.4, 3.2])
            return
        expect_close(got, [-2.4, 3.2], rtol=1e-7, atol=1e-9, call=call, note=note)

    def test_leaves_init_x_alone(self):
        init_x = np.array([-3.0, 4.0])
        got = gradient_descent(function_2, init_x, lr=0.1, step_num=10)
        expect_unchanged(init_x, np.array([-3.0, 4.0]), call="gradient_descent(f, init_x, lr=0.1, step_num=10)",
                     note=("呼び出し側の init_x を変えてはいけません: 本の版 (x = init_x) は動かしてしまいます。"
                           "ここでは同じ開始点を学習率を変えて何度も使うので、コピーで計算しましょう",
                           "the caller's init_x must not change: the book's version (x = init_x) moves it; "
                           "here the same start is reused for several learning rates, so work on a copy"), name="init_x")
        expect_true(got is not init_x, call="gradient_descent(f, init_x, lr=0.1, step_num=10)",
                    note=("init_x そのものではなく新しい配列を返します",
                          "return a new array, not init_x itself"))

    def test_learning_rate_lesson(self):
        # §4.4.1: too large a learning rate diverges, too small a one barely moves.
        f_call = "gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3.0, 4.0]), lr={}, step_num=100)"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            big = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=10.0, step_num=100)
        big = np.asarray(big, dtype=float)
        # Each step multiplies x by −19 until x ≈ 1e13, where (x ± 1e-4)² rounds to x² and the
        # numerical gradient becomes 0: the book prints [-2.58983747e+13, -1.29524862e+12].
        size = float(np.max(np.abs(big))) if big.size else 0.0
        expect_true(np.all(np.isfinite(big)) and 1e12 <= size <= 1e14, call=f_call.format(10.0),
                    note=("lr=10 では発散し、1e13 あたりで止まります (h = 1e-4 のとき)",
                          "lr=10 diverges and stalls around 1e13 (with h = 1e-4)"),
                    actual=big, expected=np.array([-2.58983747e+13, -1.29524862e+12]))
        expect_true(not caught, call=f_call.format(10.0),
        note=("正しいコードなら警告は出ません",
              "no warning from correct code"),
                    actual=[str(w.message) for w in caught], expected=[])
        tiny = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=1e-10, step_num=100)
        expect_close(tiny, [-2.99999994, 3.99999992], rtol=1e-10, atol=0, call=f_call.format(1e-10),
                     note=("lr=1e-10 ではほとんど動きません: x = (1 − 2e-10)¹⁰⁰ · (−3, 4)",
                           "lr=1e-10 barely moves: x = (1 − 2e-10)¹⁰⁰ · (−3, 4)"))
