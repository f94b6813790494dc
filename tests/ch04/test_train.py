"""Tests for ch04/train.py (§4.2.3, §4.5.2, §4.5.3), grouped by kata.

The training loop is tested with the tests' own tiny network (softmax regression
with an exact gradient behind the name numerical_gradient), so it runs in
milliseconds and does not depend on the TwoLayerNet kata.
"""
import numpy as np

from ch04.train import sample_batch, train
from dlkata.testing import expect_close, expect_equal, expect_true, expect_unchanged, kata, rng, say
from tests.ch04.helpers import TinyNet, blobs, expect_sgd_run


def _numbered(n=10):
    """Row i of x is (i, i + 0.5, −i); its label is i: a broken pair is easy to spot."""
    idx = np.arange(n, dtype=float)
    return np.stack([idx, idx + 0.5, -idx], axis=1), np.arange(n)


@kata("ch04.sample_batch")
class TestSampleBatch:
    def test_shapes_and_pairs(self):
        x, t = _numbered(10)
        for name, labels in (("index labels t (10,)", t), ("one-hot t (10, 10)", np.eye(10)[t])):
            xb, tb = sample_batch(x, labels, 4, rng(0))
            call = f"sample_batch(x, t, 4, rng)  # x (10, 3), {name}"
            expect_equal(np.shape(xb), (4, 3), call=call + "[0].shape")
            expect_equal(np.shape(tb), (4,) + labels.shape[1:], call=call + "[1].shape")
            xb, tb = np.asarray(xb), np.asarray(tb)
            if xb.shape == (4, 3) and tb.shape[:1] == (4,):
                ids = xb[:, 0].astype(int)
                expect_true(all(any(np.array_equal(r, row) for row in x) for r in xb), call=call,
                            note=("バッチのどの行も x の行", "every row of the batch is a row of x"), actual=xb)
                got_labels = tb if tb.ndim == 1 else np.argmax(tb, axis=1)
                expect_equal(got_labels, ids, call=call,
                             note=("バッチのラベル k はバッチの行 k のもの (x の行 i のラベルは i): x と t から同じ添字で取り出しましょう",
                                   "label k of the batch belongs to row k of the batch (row i of x has label i): "
                                   "take the same indices from x and t"))

    def test_draws_from_all_rows(self):
        x, t = _numbered(10)
        g = rng(1)
        seen = set()
        for _ in range(50):
            xb, _ = sample_batch(x, t, 4, g)
            seen.update(np.asarray(xb)[:, 0].astype(int).tolist())
        expect_equal(sorted(seen), list(range(10)), call=say("sample_batch(x, t, 4, rng) を 50 回  # x は 10 行", "sample_batch(x, t, 4, rng) 50 times  # x has 10 rows"),
                     note=("バッチの行は x 全体からランダムに選びます (先頭の batch_size 行ではありません)",
                           "rows of the batch are drawn at random from all of x (not the first batch_size rows)"))

    def test_uses_the_rng_it_is_given(self):
        x, t = _numbered(100)
        a = sample_batch(x, t, 10, rng(7))[1]
        b = sample_batch(x, t, 10, rng(7))[1]
        c = sample_batch(x, t, 10, rng(8))[1]
        expect_equal(np.asarray(a), np.asarray(b), call="sample_batch(x, t, 10, np.random.default_rng(7)) twice",
                     note=("同じシードなら同じバッチに: 引数の rng で選びましょう",
                           "the same seed must give the same batch: draw with the rng argument"))
        expect_true(not np.array_equal(a, c), call=say("sample_batch(x, t, 10, rng)  # seed 7 と 8", "sample_batch(x, t, 10, rng) with seeds 7 and 8"),
                    note=("シードが違えばバッチも違います",
                          "different seeds give different batches"), actual=np.asarray(c),
                          expected=say("シード 7 のバッチとは違うもの",
                                       "not the batch of seed 7"))
        xb, tb = sample_batch(x, t, 5)
        expect_equal((np.shape(xb), np.shape(tb)), ((5, 3), (5,)), call="sample_batch(x, t, 5)  # rng=None",
                     note=("rng がなければ新しい np.random.default_rng() を使います",
                           "without rng, use a fresh np.random.default_rng()"))

    def test_leaves_data_alone(self):
        x, t = _numbered(10)
        x0, t0 = x.copy(), t.copy()
        sample_batch(x, t, 6, rng(2))
        expect_unchanged(x, x0, call="sample_batch(x, t, 6, rng)",
        note=("x を変えてはいけません (その場でシャッフルしない)",
              "x must not change (do not shuffle it in place)"), name="x")
        expect_unchanged(t, t0, call="sample_batch(x, t, 6, rng)",
        note=("t を変えてはいけません",
              "t must not change"), name="t")
        images = np.arange(10 * 4, dtype=float).reshape(10, 1, 2, 2)
        xb, tb = sample_batch(images, t, 3, rng(3))
        expect_equal(np.shape(xb), (3, 1, 2, 2), call="sample_batch(images, t, 3, rng)[0].shape  # images (10, 1, 2, 2)")
        if np.shape(xb) == (3, 1, 2, 2):
            expect_equal(np.asarray(xb)[:, 0, 0, 0] // 4, np.asarray(tb), call="sample_batch(images, t, 3, rng)",
                         note=("画像 i はラベル i のまま", "image i keeps label i"))


@kata("ch04.train")
class TestTrain:
    def test_learns(self):
        # Separate enough that any way of drawing the batches learns them (over 200 rng seeds:
        # test accuracy ≥ 0.93, last-10 loss ≤ 0.36 × first-10 loss).
        (x_train, t_train), (x_test, t_test) = blobs(64, 0, noise=0.4), blobs(30, 1, noise=0.4)
        net = TinyNet(4, 3)
        w0 = net.params["W"].copy()
        before = net.accuracy(x_test, t_test)
        losses, train_acc, test_acc = train(net, x_train, t_train, x_test, t_test,
                                            iters_num=100, batch_size=8, lr=1.0, rng=rng(0))
        call = "train(net, x_train, t_train, x_test, t_test, iters_num=100, batch_size=8, lr=1.0, rng=rng)"
        expect_equal(len(losses), 100, call=f"len({call}[0])",
        note=("繰り返し 1 回に損失 1 つ",
              "one loss per iteration"))
        expect_true(not np.array_equal(net.params["W"], w0), call=call,
        note=("params を更新しましょう",
              "the params must be updated"))
        if len(losses) == 100:
            first, last = float(np.mean(losses[:10])), float(np.mean(losses[-10:]))
            expect_true(last < 0.7 * first, call=f"{call}[0]",
                        note=("ミニバッチの損失が下がります (最後の 10 回の平均と最初の 10 回の平均を比較)",
                              "the mini-batch loss falls (mean of the last 10 against the first 10)"),
                        actual=(first, last),
                        expected=say("2 つ目が 1 つ目よりはっきり小さい",
                                     "the second well below the first"))
        after = net.accuracy(x_test, t_test)
        expect_true(after >= 0.8 and after > before, call=f"net.accuracy(x_test, t_test) after {call}",
                    note=("ネットワークが 3 つの塊を学習できるはずです",
                          "the net learns the three blobs"),
                    actual=(before, after), expected=say("学習後に ≥ 0.8", "≥ 0.8 after training"))

    def test_each_iteration(self):
        (x_train, t_train), (x_test, t_test) = blobs(32, 2), blobs(12, 3)
        net = TinyNet(4, 3, seed=1)
        lr, iters = 0.5, 14
        losses, train_acc, test_acc = train(net, x_train, t_train, x_test, t_test,
                                            iters_num=iters, batch_size=5, lr=lr, rng=rng(4))
        call = f"train(net, x_train (32, 4), ..., iters_num={iters}, batch_size=5, lr={lr}, rng=rng)"
        calls = net.grad_calls
        expect_equal(len(calls), iters, call=call,
        note=("繰り返しごとに network.numerical_gradient を 1 回",
              "network.numerical_gradient once per iteration"))
        if len(calls) != iters:
            return
        for xb, tb, _ in calls[:3]:
            expect_equal(xb.shape, (5, 4), call=call,
            note=("勾配は毎回 batch_size 行のバッチで求めます",
                  "each gradient is taken on a batch of batch_size rows"))
            rows = [int(np.flatnonzero(np.all(x_train == r, axis=1))[0]) if np.any(np.all(x_train == r, axis=1)) else -1
                    for r in xb]
            expect_true(min(rows) >= 0 and np.array_equal(t_train[rows], tb), call=call,
                        note=("バッチは x_train の行とそのラベル (sample_batch を使いましょう)",
                              "the batch is rows of x_train with their own labels (use sample_batch)"),
                        actual=tb, expected=t_train[[r for r in rows if r >= 0]])
        expect_true(len({c[0].tobytes() for c in calls}) > 1, call=call,
        note=("繰り返しごとに新しいバッチ",
              "a new batch every iteration"))
        expect_sgd_run(net, lr, (losses, train_acc, test_acc), (x_train, t_train, x_test, t_test), call)

    def test_batch_larger_than_the_data(self):
        (x_train, t_train), (x_test, t_test) = blobs(6, 7), blobs(5, 8)
        net = TinyNet(4, 3, seed=3)
        call = "train(net, x_train (6 samples), ..., iters_num=3, batch_size=10, lr=0.5, rng=rng)"
        losses, train_acc, test_acc = train(net, x_train, t_train, x_test, t_test,
                                            iters_num=3, batch_size=10, lr=0.5, rng=rng(11))
        expect_equal(len(losses), 3, call=f"len({call}[0])", note=("繰り返しごとに損失 1 つ", "one loss per iteration"))
        expect_equal([c[0].shape for c in net.grad_calls], [(10, 4)] * 3, call=call,
                     note=("どのバッチも batch_size 行: 6 サンプルからでも重複ありで引きます",
                           "each batch has batch_size rows, drawn with replacement even from 6 samples"))
        expect_equal((len(train_acc), len(test_acc)), (3, 3), call=f"{call}: evaluations",
                     note=("iter_per_epoch = max(6 // 10, 1) = 1: 毎回のあとに評価します (6 // 10 = 0 では 0 で割ります)",
                           "iter_per_epoch = max(6 // 10, 1) = 1: an evaluation after every iteration "
                           "(6 // 10 = 0 would divide by zero)"))

    def test_updates_in_place_and_is_reproducible(self):
        (x_train, t_train), (x_test, t_test) = blobs(20, 5), blobs(10, 6)
        results = []
        for _ in range(2):
            net = TinyNet(4, 3, seed=2)
            arrays = dict(net.params)
            results.append(train(net, x_train, t_train, x_test, t_test, iters_num=5, batch_size=4, lr=0.3, rng=rng(9))[0])
        call = "train(net, ..., iters_num=5, batch_size=4, lr=0.3, rng=rng)"
        expect_true(all(net.params[k] is arrays[k] for k in arrays), call=call,
                    note=("params[key] -= ... で更新します: 同じ配列をその場で変えます (第 5 章のレイヤが共有します)",
                          "update with params[key] -= ...: the same arrays, changed in place "
                          "(chapter 5's layers share them)"))
        expect_close(results[1], results[0], rtol=0, atol=0, call=call + " twice with the same seed",
                     note=("バッチは sample_batch(..., rng) から: 同じシードなら同じ学習になります",
                           "batches come from sample_batch(..., rng): the same rng seed gives the same run"))

