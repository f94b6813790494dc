"""Tests for ch06/util.py (§6.5): shuffling, the validation split and random search."""
import numpy as np
import pytest

from ch06.util import random_search, shuffle_dataset, split_validation
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, portable, rng, say

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _pairs(n=50, d=4):
    """x rows that carry their own id: row i is i·1000 + [0, 1, 2, ...]; t[i] = i."""
    x = np.arange(n)[:, None] * 1000.0 + np.arange(d)
    return x, np.arange(n)


def _keeps_pairs(x, t, d):
    return np.array_equal(np.asarray(x).reshape(len(x), -1)[:, 0], np.asarray(t) * 1000.0)


@kata("ch06.shuffle_dataset")
class TestShuffleDataset:
    def test_keeps_pairs_together(self):
        x, t = _pairs()
        xs, ts = shuffle_dataset(x, t, rng(0))
        expect_equal(np.shape(xs), x.shape, call="shuffle_dataset(x (50, 4), t, rng).x.shape")
        expect_true(_keeps_pairs(xs, ts, 4), call="shuffle_dataset(x, t, rng)",
                    note=("x[i] と t[i] は一緒に動かします (両方に同じ並べ替え)",
                          "x[i] and t[i] must move together (one permutation for both)"), actual=ts[:8])
        expect_equal(np.sort(ts), t, call="np.sort(shuffle_dataset(x, t, rng)[1])",
        note=("並べ替え: 欠けも重複もなし",
              "a permutation: nothing lost or repeated"))
        expect_equal(np.asarray(xs)[np.argsort(ts)], x, call="shuffle_dataset(x, t, rng)[0]",
        note=("行はまるごと動かします",
              "rows are moved whole"))
        expect_true(not np.array_equal(ts, t), call="shuffle_dataset(x, t, rng)",
        note=("順番が変わるはずです",
              "the order must change"))

    def test_images_and_one_hot_labels(self):
        n = 12
        x = np.arange(n * 2 * 3 * 3, dtype=float).reshape(n, 2, 3, 3)
        t = np.eye(n)
        xs, ts = shuffle_dataset(x, t, rng(1))
        expect_equal(np.shape(xs), x.shape, call="shuffle_dataset(x (12, 2, 3, 3), one-hot t, rng)[0].shape")
        order = np.argmax(ts, axis=1)
        expect_equal(xs, x[order], call="shuffle_dataset(x (12, 2, 3, 3), one-hot t, rng)",
                     note=("画像は最初の軸だけでラベルと一緒にシャッフルします",
                           "images are shuffled along the first axis only, with their labels"))

    def test_inputs_unchanged_and_reproducible(self):
        x, t = _pairs(20)
        x0, t0 = x.copy(), t.copy()
        a = shuffle_dataset(x, t, rng(2))
        b = shuffle_dataset(x, t, rng(2))
        expect_unchanged(x, x0, call="shuffle_dataset(x, t, rng)",
        note=("x を変えてはいけません: 新しい配列を返しましょう",
              "x must not change: return new arrays"), name="x")
        expect_unchanged(t, t0, call="shuffle_dataset(x, t, rng)",
        note=("t を変えてはいけません: 新しい配列を返しましょう",
              "t must not change: return new arrays"), name="t")
        expect_equal(a[1], b[1], call="shuffle_dataset(x, t, rng(2)) twice",
        note=("並べ替えは rng から作ります",
              "the permutation comes from rng"))


@kata("ch06.split_validation")
class TestSplitValidation:
    def test_sizes_and_pairs(self):
        x, t = _pairs(50)
        (xt, tt), (xv, tv) = split_validation(x, t, rng=rng(3))
        expect_equal((len(xt), len(xv)), (40, 10), call=say("split_validation(x (50 個), t) の大きさ (訓練, 検証)", "split_validation(x (50 samples), t) sizes (train, val)"),
                     note=("validation_rate の既定値は 0.2: int(50 · 0.2) = 10 個が検証データ",
                           "validation_rate=0.2 by default: int(50 · 0.2) = 10 for validation"))
        expect_true(_keeps_pairs(xt, tt, 4) and _keeps_pairs(xv, tv, 4), call="split_validation(x, t, rng=rng)",
                    note=("(x[i], t[i]) の組はどちらの側でも一緒",
                          "pairs (x[i], t[i]) stay together in both parts"))
        expect_equal(np.sort(np.concatenate([tt, tv])), t, call=say("split_validation(x, t): 訓練 ∪ 検証", "split_validation(x, t): train ∪ val"),
                     note=("どのサンプルもちょうど一方に入ります", "every sample lands in exactly one part"))
        (xt, tt), (xv, tv) = split_validation(x, t, validation_rate=0.3, rng=rng(4))
        expect_equal((len(xt), len(xv)), (35, 15), call="split_validation(x, t, validation_rate=0.3) sizes")

    def test_validation_is_the_first_of_the_shuffled_order(self):
        x, t = _pairs(20)
        _, t_shuffled = shuffle_dataset(x, t, rng(6))
        (xt, tt), (xv, tv) = split_validation(x, t, validation_rate=0.25, rng=rng(6))
        call = "split_validation(x, t, validation_rate=0.25, rng=rng(6))"
        expect_equal(np.asarray(tv), t_shuffled[:5], call=f"{call}[1][1]",
                     note=("検証データ: shuffle_dataset(x, t, rng) の順で最初の int(20 · 0.25) = 5 個",
                           "validation: the first int(20 · 0.25) = 5 samples of shuffle_dataset(x, t, rng)'s order"))
        expect_equal(np.asarray(tt), t_shuffled[5:], call=f"{call}[0][1]",
                     note=("訓練データ: 残り、シャッフルした順のまま",
                           "training: the rest, in the shuffled order"))

    def test_too_small_for_one_validation_sample(self):
        x, t = _pairs(4)
        (xt, tt), (xv, tv) = split_validation(x, t, validation_rate=0.2, rng=rng(7))
        call = "split_validation(x (4 samples), t, validation_rate=0.2, rng=rng)"
        expect_equal((len(xt), len(xv)), (4, 0), call=say(f"{call} の大きさ (訓練, 検証)", f"{call} sizes (train, val)"),
                     note=("int(4 · 0.2) = int(0.8) = 0: 検証データは 0 個、4 個すべてが訓練データ (x[:-0] は空になります。切り上げないこと)",
                           "int(4 · 0.2) = int(0.8) = 0: no validation sample, all 4 for training "
                          "(x[:-0] would be empty; do not round up)"))
        expect_equal(np.sort(np.asarray(tt)), t, call=f"{call}[0][1]", note=("すべてのサンプルが訓練データに入ります",
                                                                             "every sample is in the training part"))

    def test_shuffles_first(self):
        x, t = _pairs(50)
        (_, tt), (_, tv) = split_validation(x, t, rng=rng(5))
        expect_true(not np.array_equal(np.sort(tv), np.arange(10)), call="split_validation(x, t, rng=rng)[1]",
                    note=("分ける前にシャッフル: 検証データが単に先頭の 10 個であってはいけません",
                          "shuffle before splitting: the validation set must not just be the first 10 samples"),
                    actual=np.sort(tv))


@portable
def best_at_1e_3(lr, weight_decay):
    """A train_fn whose val_acc is best at lr = 1e-3. Under the grading sandbox it runs beside
    the learner's code (no crossing per trial): what is judged is random_search's results."""
    return -abs(np.log10(lr) + 3.0)


def _recording(record, score=lambda lr, wd: -abs(np.log10(lr) + 3.0)):
    def train_fn(lr, weight_decay):
        record.append((lr, weight_decay))
        return score(lr, weight_decay)
    return train_fn


@kata("ch06.random_search")
class TestRandomSearch:
    def test_log_uniform_sampling(self):
        # The values each trial used, as random_search returns them (that they are the values
        # train_fn was given, once per trial, is test_ranked_by_validation_accuracy's check).
        results = random_search(best_at_1e_3, trials=400, rng=rng(6))
        expect_equal(len(results), 400, call="len(random_search(train_fn, trials=400))",
                     note=("試行ごとに結果 1 つ", "one result per trial"))
        try:
            lr = np.log10([float(r["lr"]) for r in results])
            wd = np.log10([float(r["weight_decay"]) for r in results])
        except (KeyError, TypeError, ValueError) as e:
            expect_true(False, call="random_search(train_fn, trials=400)[i]['lr'], ['weight_decay']",
                        note=("各結果は dict {'val_acc', 'lr', 'weight_decay'}",
                              "each result is a dict {'val_acc', 'lr', 'weight_decay'}"), actual=repr(e))
            return
        if not len(lr):
            return
        expect_true(lr.min() >= -6 and lr.max() <= -2 and wd.min() >= -8 and wd.max() <= -4,
                    call="random_search(train_fn, trials=400)",
                    note=("lr は [1e-6, 1e-2]、weight_decay は [1e-8, 1e-4] の範囲",
                          "lr in [1e-6, 1e-2], weight_decay in [1e-8, 1e-4]"),
                    actual=f"lr 10^[{lr.min():.2f}, {lr.max():.2f}], wd 10^[{wd.min():.2f}, {wd.max():.2f}]")
        for name, e, lo in (("lr", lr, -6), ("weight_decay", wd, -8)):
            quarters = np.histogram(e, bins=4, range=(lo, lo + 4))[0] / len(e)
            expect_true(np.all(np.abs(quarters - 0.25) < 0.07), call=f"random_search(train_fn, trials=400): log10({name})",
                        note=("対数スケールでサンプリング: 10 ** uniform(指数の範囲)、どの桁もほぼ同じ頻度",
                              "sample on a log scale: 10 ** uniform(exponent range), each decade about as often"),
                        actual=say(f"桁ごとの割合 {np.round(quarters, 2)}",
                                   f"share per decade {np.round(quarters, 2)}"),
                        expected=say("どれも約 0.25", "about 0.25 each"))

    def test_ranked_by_validation_accuracy(self):
        calls = []
        results = random_search(_recording(calls), trials=30, rng=rng(7))
        expect_equal(len(results), 30, call="len(random_search(train_fn, trials=30))")
        if len(results) != 30:
            return
        accs = [r["val_acc"] for r in results]
        expect_true(all(a >= b for a, b in zip(accs, accs[1:])), call="random_search(train_fn, trials=30)",
                    note=("val_acc の最もよいものが先頭", "best val_acc first"), actual=np.round(accs[:5], 3))
        for r in results[:5]:
            expect_close(r["val_acc"], -abs(np.log10(r["lr"]) + 3.0), call="random_search(...)[i]['val_acc']",
                         note=("各結果には、その lr と weight_decay で train_fn が返した val_acc が入ります",
                               "each result holds the val_acc that train_fn gave for its own lr and weight_decay"))
        expect_equal(sorted((r["lr"], r["weight_decay"]) for r in results), sorted(calls),
                     call="random_search(train_fn, trials=30)",
                     note=("試行ごとに結果 1 つ、train_fn に渡した値とともに",
                           "one result per trial, with the values given to train_fn"))

    def test_custom_ranges(self):
        calls = []
        random_search(_recording(calls), trials=50, lr_exponent=(-3, -1), weight_decay_exponent=(-5, -5), rng=rng(8))
        lr = np.log10([c[0] for c in calls])
        expect_true(len(calls) == 50 and lr.min() >= -3 and lr.max() <= -1,
                    call="random_search(train_fn, trials=50, lr_exponent=(-3, -1), ...)",
                    note="lr = 10 ** uniform(-3, -1)")
        expect_close([c[1] for c in calls], np.full(len(calls), 1e-5), rtol=1e-9,
                     call="random_search(..., weight_decay_exponent=(-5, -5))",
                     note=("weight_decay は毎回 10 ** -5",
                           "weight_decay = 10 ** -5 every time"))
