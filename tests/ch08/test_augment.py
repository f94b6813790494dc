"""Tests for ch08/augment.py (§8.1.2): shift, flip, crop and augment on NCHW batches."""
import numpy as np

from ch08.augment import augment, flip_horizontal, random_crop, shift
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, record, rng, say


def trusted_shift(x, dy, dx):
    """The tests' own shift, pixel by pixel."""
    out = np.zeros_like(x)
    N, C, H, W = x.shape
    for i in range(H):
        for j in range(W):
            if 0 <= i - dy < H and 0 <= j - dx < W:
                out[:, :, i, j] = x[:, :, i - dy, j - dx]
    return out


def batch(seed=0, shape=(3, 2, 5, 6)):
    """Asymmetric images: every pixel of every channel differs, and none is zero."""
    return rng(seed).uniform(1.0, 2.0, shape)


def expect_untouched(original, copy_before, call, what="x"):
    return expect_unchanged(original, copy_before, call=call,
    note=(f"{what} を変えてはいけません",
          f"{what} must not change"), name=what)


def expect_new_array(out, x, call):
    note = ("x のビューではなく新しい配列を返します (結果に書き込んでも x が変わらないように)",
            "return a new array, not a view of x (writing into the result must not change x)")
    if not expect_true(isinstance(out, np.ndarray) and not np.shares_memory(out, x), call=call, note=note):
        return False
    # Writing into the result must leave x alone (under the grading sandbox, where the two are
    # copies of the worker's arrays, this is what shows a view).
    before, kept = x.copy(), out.copy()
    out[...] = -7
    ok = expect_unchanged(x, before, call=f"out = {call}; out[...] = -7", name="x", note=note)
    out[...] = kept
    return ok


@kata("ch08.shift")
class TestShift:
    def test_moves_down_and_right(self):
        x = np.zeros((2, 2, 4, 5))
        x[:, :, 1, 2] = [[1.0, 2.0], [3.0, 4.0]]
        out = shift(x, 1, 2)
        want = np.zeros_like(x)
        want[:, :, 2, 4] = [[1.0, 2.0], [3.0, 4.0]]
        expect_close(out, want, call="shift(x, 1, 2)  # one bright pixel at (1, 2)",
                     note=("dy = 1 で 1 行下へ、dx = 2 で 2 列右へ。どの画像・チャンネルも同じ",
                           "dy = 1 moves down a row, dx = 2 right two columns; every image and channel alike"))

    def test_matches_a_pixel_loop(self):
        x = batch(1)
        for dy, dx in [(1, 0), (0, -2), (-1, 3), (2, 2), (0, 0), (-4, -5)]:
            expect_close(shift(x, dy, dx), trusted_shift(x, dy, dx), call=f"shift(x, {dy}, {dx})  # x (3, 2, 5, 6)",
                         note=("out[n, c, i, j] = x[n, c, i - dy, j - dx] (その位置がなければ 0)",
                               "out[n, c, i, j] = x[n, c, i - dy, j - dx] where that exists, else 0"))

    def test_does_not_wrap_round(self):
        x = batch(2)
        out = shift(x, 2, -1)
        expect_close(out[:, :, :2, :], np.zeros((3, 2, 2, 6)), call="shift(x, 2, -1)[:, :, :2, :]",
                     note=("空いた行は 0 (np.roll だと下の行が上に回り込みます)",
                           "the uncovered rows are zeros (np.roll would wrap the bottom rows round)"))
        expect_close(out[:, :, :, -1:], np.zeros((3, 2, 5, 1)), call="shift(x, 2, -1)[:, :, :, -1:]",
                     note=("空いた列は 0", "the uncovered column is zeros"))

    def test_past_the_frame(self):
        x = batch(4)   # H = 5, W = 6
        for dy, dx in [(7, 0), (-7, 0), (0, 8), (0, -8), (5, 0), (0, -6), (-9, 10), (2, -6)]:
            expect_close(shift(x, dy, dx), np.zeros_like(x), call=f"shift(x, {dy}, {dx})  # x (3, 2, 5, 6)",
                         note=("画像の大きさ以上ずらすと、どちら向きでもすべての画素が外に出ます: すべて 0",
                               "a shift by the image size or more, either way, moves every pixel out: all zeros"))

    def test_leaves_x_alone(self):
        x = batch(3)
        before = x.copy()
        out = shift(x, 0, 0)
        expect_untouched(x, before, "shift(x, 0, 0)")
        expect_new_array(out, x, "shift(x, 0, 0)")
        shift(x, 1, 1)
        expect_untouched(x, before, "shift(x, 1, 1)")
        expect_equal(np.shape(shift(x, 9, 0)), x.shape, call="shift(x, 9, 0).shape  # H = 5",
                     note=("全部はみ出すようにずらすと、同じ形の 0 のバッチが残ります",
                           "shifting everything out leaves a batch of zeros, same shape"))


@kata("ch08.flip")
class TestFlip:
    def test_mirrors_left_to_right(self):
        x = batch(4)
        expect_close(flip_horizontal(x), x[:, :, :, ::-1], call="flip_horizontal(x)  # x (3, 2, 5, 6)",
                     note=("out[n, c, i, j] = x[n, c, i, W - 1 - j]: 画像・チャンネル・行の順番はそのまま",
                           "out[n, c, i, j] = x[n, c, i, W - 1 - j]: images, channels and rows keep their order"))

    def test_keeps_the_order_of_images(self):
        x = batch(5, (4, 1, 3, 3))
        out = flip_horizontal(x)
        for n in range(4):
            expect_close(out[n], x[n, :, :, ::-1], call=f"flip_horizontal(x)[{n}]",
                         note=("画像 n は位置 n のまま。そうでないとラベル t[n] と合わなくなります",
                               "image n must stay at position n, or it no longer matches label t[n]"))

    def test_leaves_x_alone(self):
        x = batch(6)
        before = x.copy()
        out = flip_horizontal(x)
        expect_untouched(x, before, "flip_horizontal(x)")
        expect_new_array(out, x, "flip_horizontal(x)")


@kata("ch08.random_crop")
class TestRandomCrop:
    def test_each_crop_is_a_window_of_its_own_image(self):
        x = batch(7, (200, 2, 6, 7))
        out = random_crop(x, 4, 3, rng(0))
        expect_equal(np.shape(out), (200, 2, 4, 3), call="random_crop(x, 4, 3, rng)  # x (200, 2, 6, 7)")
        if np.shape(out) != (200, 2, 4, 3):
            return
        corners = set()
        for n in range(200):
            found = [(i, j) for i in range(3) for j in range(5)
                     if np.array_equal(out[n], x[n, :, i:i + 4, j:j + 3])]
            if not found:
                record(f"random_crop(x, 4, 3, rng)[{n}]", out[n],
                       say("ある top, left での x[n, :, top:top+4, left:left+3]",
                           "x[n, :, top:top+4, left:left+3] for some top, left"),
                       ("切り抜きはどれも同じ画像の 1 つのウィンドウで、全チャンネルで同じウィンドウ",
                        "each crop is one window of the same image, the same window for every channel"))
                return
            corners.add(found[0])
        expect_equal(sorted(corners), [(i, j) for i in range(3) for j in range(5)],
                     call="random_crop(x, 4, 3, rng)  # 200 images: the (top, left) corners used",
                     note=("画像ごとに位置を引きます。ウィンドウが収まる 3·5 か所すべてから一様に (top = H - height も含む)",
                           "draw a position for each image, uniformly over all 3·5 places the window fits "
                           "(top = H - height included)"))

    def test_full_size_crop_is_a_copy(self):
        x = batch(8)
        before = x.copy()
        out = random_crop(x, 5, 6, rng(1))
        expect_close(out, x, call="random_crop(x, 5, 6, rng)  # x (3, 2, 5, 6)",
        note=("画像と同じ大きさの切り抜きは画像そのもの",
              "a crop as big as the image is the image"))
        expect_untouched(x, before, "random_crop(x, 5, 6, rng)")
        expect_new_array(out, x, "random_crop(x, 5, 6, rng)")

    def test_uses_the_given_rng_and_rejects_big_crops(self):
        x = batch(9, (10, 1, 6, 6))
        expect_close(random_crop(x, 3, 3, rng(2)), random_crop(x, 3, 3, rng(2)),
                     call="random_crop(x, 3, 3, rng(2)) twice",
                     note=("同じシードなら同じ切り抜き",
                           "the same seed must give the same crops"))
        try:
            result = random_crop(x, 7, 3, rng(3))
        except ValueError:
            return
        record("random_crop(x, 7, 3, rng)  # H = 6", result, say("ValueError の送出", "ValueError raised"),
               ("画像より大きいウィンドウ", "a window larger than the image"))


@kata("ch08.augment")
class TestAugment:
    def _shift_of(self, image, original, max_shift):
        """The (dy, dx, flipped) that turn original into image, or None."""
        for flipped in (False, True):
            src = original[None, :, :, ::-1] if flipped else original[None]
            for dy in range(-max_shift, max_shift + 1):
                for dx in range(-max_shift, max_shift + 1):
                    cand = trusted_shift(src, dy, dx)[0]
                    if np.array_equal(image, cand):
                        return dy, dx, flipped
        return None

    def _check(self, x, t, out, max_shift, flip, call):
        x_aug, t_aug = out
        N = len(x)
        ok = expect_equal(np.shape(x_aug), (2 * N,) + x.shape[1:], call=call + "[0].shape",
                          note=("元の画像、続いてそれぞれを変換したコピー 1 つずつ",
                                "the originals, then one transformed copy of each"))
        ok &= expect_equal(t_aug, np.concatenate([t, t]), call=call + "[1]",
                           note=("ラベルは変えません: t、続いてコピーの分の t を同じ順で",
                                 "labels are not changed: t, then t again for the copies, in the same order"))
        if not ok:
            return []
        expect_equal(x_aug[:N], x, call=call + f"[0][:{N}]",
        note=("最初の N 個は元の画像そのまま",
              "the first N are the originals, untouched"))
        found = []
        for n in range(N):
            how = self._shift_of(x_aug[N + n], x[n], max_shift)
            if how is None or (how[2] and not flip):
                record(call + f"[0][{N + n}]", x_aug[N + n], f"x[{n}] shifted by at most {max_shift}"
                       + (" and maybe mirrored" if flip else ""),
                       (f"コピー {n} は画像 {n} から作ります。そうすればラベル t[{n}] のまま",
                        f"copy {n} must be made from image {n}, so that it keeps label t[{n}]"))
                return found
            found.append(how)
        return found

    def test_doubles_the_set_and_keeps_labels(self):
        x, t = batch(10, (30, 1, 5, 6)), rng(11).integers(0, 10, 30)
        x_before, t_before = x.copy(), t.copy()
        found = self._check(x, t, augment(x, t, rng(12), max_shift=1), 1, False, "augment(x, t, rng, max_shift=1)")
        expect_untouched(x, x_before, "augment(x, t, rng, max_shift=1)")
        expect_untouched(t, t_before, "augment(x, t, rng, max_shift=1)", "t")
        if found:
            shifts = {(dy, dx) for dy, dx, _ in found}
            expect_true(len(shifts) >= 5, call="augment(x, t, rng, max_shift=1)  # 30 images",
                        actual=sorted(shifts),
                        expected=say("[-1, 1]² の 9 通りのずらし方の多く",
                                     "many of the 9 shifts in [-1, 1]²"),
                        note=("画像ごとに (dy, dx) を rng から引きます",
                              "draw (dy, dx) for each image from rng"))

    def test_one_hot_labels_and_flips(self):
        x = batch(13, (30, 2, 4, 5))
        t = np.eye(10)[rng(14).integers(0, 10, 30)]
        found = self._check(x, t, augment(x, t, rng(15), max_shift=2, flip=True), 2, True,
                            "augment(x, one-hot t, rng, max_shift=2, flip=True)")
        if found:
            flips = sum(f for _, _, f in found)
            expect_true(5 <= flips <= 25, call="augment(x, t, rng, flip=True)  # 30 images",
                        actual=say(f"{flips} 個を反転", f"{flips} mirrored"), expected=say("約半分", "about half"),
                        note=("flip=True なら各コピーを確率 1/2 で左右反転",
                              "with flip=True, mirror each copy with probability 1/2"))

    def test_uses_only_the_given_rng(self):
        x, t = batch(16, (8, 1, 4, 4)), np.arange(8)
        np.random.seed(0)
        a = augment(x, t, rng(17), max_shift=1, flip=True)
        global_draw = np.random.random()
        b = augment(x, t, rng(17), max_shift=1, flip=True)
        np.random.seed(0)
        expect_true(global_draw == np.random.random(), call="augment(x, t, rng, ...)",
                    note=("np.random ではなく渡された rng を使います", "use the rng passed in, not np.random"))
        expect_close(a[0], b[0], call="augment(x, t, rng(17)) twice",
        note=("同じシードなら同じデータ",
              "the same seed must give the same set"))


@kata("ch08.flip", hidden=True)
class TestFlipAgain:
    def test_one_small_image(self):
        x = np.arange(6.0).reshape(1, 1, 2, 3)
        expect_close(flip_horizontal(x), np.array([[[[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]]]),
                     call="flip_horizontal([[[[0, 1, 2], [3, 4, 5]]]])")
