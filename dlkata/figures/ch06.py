"""Chapter 6's figures: optimizers' paths (§6.1.7), initial weights (§6.2), overfitting (§6.4)."""
from __future__ import annotations

import numpy as np

from dlkata.figures import Canvas, figure, words


@figure("ch06.optimizer_paths", section="6.1.7", size=(10, 7.5),
        needs=["ch06.sgd", "ch06.momentum", "ch06.adagrad", "ch06.adam", "ch06.optimizer_path"],
        title={"ja": "f(x, y) = x²/20 + y² 上の各手法の経路", "en": "Each optimizer's path on f(x, y) = x²/20 + y²"})
def optimizer_paths(c: Canvas) -> None:
    from ch06.optimizer_compare import BOOK_OPTIMIZERS, f, optimizer_path

    # The book's comparison (§6.1.7): 30 updates from (-7, 2), each optimizer with the book's
    # learning rate; one optimizer_path call per panel, so a stub leaves only its own panel empty.
    X, Y = np.meshgrid(np.linspace(-10, 10, 201), np.linspace(-5, 5, 101))
    Z = f(X, Y)

    def run(make):
        optimizer = make()
        return optimizer, optimizer_path(optimizer)

    for ax, (name, make) in zip(c.subplots(2, 2).flat, BOOK_OPTIMIZERS.items()):
        ax.contour(X, Y, Z, levels=[0.25, 0.5, 1, 2, 3, 4, 5], colors="#ccc", linewidths=0.8)
        optimizer, xs = c.attempt(run, make, ax=ax) or (None, None)
        if xs is not None:
            xs = np.asarray(xs, dtype=float)
            ax.plot(xs[:, 0], xs[:, 1], "o-", ms=3, color="C3")
            ax.text(0.98, 0.04, words("終点", "end") + f" ({xs[-1, 0]:.2f}, {xs[-1, 1]:.2f})", transform=ax.transAxes,
                    ha="right", fontsize=8, color="#555")
        ax.plot(0, 0, "+", ms=12, color="k")
        lr = getattr(optimizer, "lr", None)
        ax.set(xlim=(-10, 10), ylim=(-5, 5), xlabel="x", ylabel="y",
               title=f"{name}(lr={lr})" if lr is not None else name)
        c.done(ax)


# ---------------------------------------------------------------- §6.2: initial weights
# (label, weight_init_std, activation): the book's experiment, 5 layers of 100 on 1000 random inputs.
INITS = (
    (("標準偏差 1, sigmoid", "std 1, sigmoid"), 1.0, "sigmoid"),
    (("標準偏差 0.01, sigmoid", "std 0.01, sigmoid"), 0.01, "sigmoid"),
    ("Xavier, sigmoid", "xavier", "sigmoid"),
    ("Xavier, ReLU", "xavier", "relu"),
    ("He, ReLU", "he", "relu"),
)


@figure("ch06.weight_init_histograms", section="6.2", size=(12, 10.5),
        needs=["ch06.init_scale", "ch06.activation_distribution"],
        title={"ja": "重みの初期値ごとの各層の活性化の分布", "en": "Each layer's activations, by initial weights"})
def weight_init_histograms(c: Canvas) -> None:
    from ch06.weight_init import activation_distribution, init_scale

    from dlkata.figures import quick

    samples = 200 if quick() else 1000
    grid = c.subplots(len(INITS), 5)
    for row, (label, std, act) in zip(grid, INITS):
        label = words(*label) if isinstance(label, tuple) else label
        scale = c.attempt(init_scale, std, 100)
        name = label if scale is None or isinstance(std, float) else f"{label} (σ={float(scale):.3g})"
        acts = c.attempt(activation_distribution, std, act, sample_num=samples, ax=row[0])
        top = 0.0
        for layer, (ax, a) in enumerate(zip(row, acts or [])):
            a = np.asarray(a, dtype=float).ravel()
            if act == "relu":
                # Half of a ReLU's outputs are exactly 0: leave them out, say how many.
                zero = float(np.mean(a == 0))
                counts, edges = np.histogram(a[a > 0], 30, range=(0, 3))
                ax.text(0.97, 0.95, words(f"0 が {zero:.0%}\n(表示なし)", f"{zero:.0%} zeros\nnot shown"), transform=ax.transAxes, ha="right",
                        va="top", fontsize=7, color="#555")
            else:
                counts, edges = np.histogram(a, 30, range=(0, 1))
            ax.stairs(counts, edges, fill=True, color="C1" if act == "relu" else "C0")
            top = max(top, float(np.max(counts)))
            c.mark(ax)
        for layer, ax in enumerate(row):
            if top:
                ax.set_ylim(0, top * 1.08)         # one scale per row: the layers compare at a glance
            if layer:
                ax.tick_params(labelleft=False)
            ax.set_title(words(f"{layer + 1} 層目", f"layer {layer + 1}"), fontsize=9)
            ax.tick_params(labelsize=7)
            c.done(ax)
        row[0].set_ylabel(name, fontsize=9)


# ---------------------------------------------------------------- §6.4: overfitting
# Few training digits and a net with far more weights than samples: it learns them by heart.
# The setting of chapter 6's overfitting tests (see bench/ch06_overfit.py for the figures
# over 8 seeds), trained longer, with the accuracy and the loss measured after every step.
OVERFIT = dict(train_size=50, hidden=[50, 50, 50], steps=300, lr=0.1, weight_decay_lambda=0.03,
               dropout_ratio=0.2, seed=0)


def _cross_entropy(scores: np.ndarray, t: np.ndarray) -> float:
    """Mean cross-entropy of softmax(scores) against index labels (no weight-decay term)."""
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(t)), t].mean())


@figure("ch06.overfitting_curves", section="6.4", size=(13, 7.5),
        needs=["ch06.sgd", "ch06.multi_layer_net", "ch06.dropout", "ch06.multi_layer_net_extend"],
        title={"ja": "過学習: 正則化なし・Weight decay・Dropout の訓練/テストの認識精度と損失",
               "en": "Overfitting: training and test accuracy and loss, plain, weight decay, dropout"})
def overfitting_curves(c: Canvas) -> None:
    from ch06.multi_layer_net import MultiLayerNet, MultiLayerNetExtend
    from ch06.optimizer import SGD
    from dlkata.data import load_digits
    from dlkata.training import Training

    from dlkata.figures import quick, text

    cfg = dict(OVERFIT, steps=15) if quick() else OVERFIT
    (x_train, t_train), (x_test, t_test) = load_digits()
    x, t = x_train[:cfg["train_size"]], t_train[:cfg["train_size"]]
    hidden, lam, ratio = cfg["hidden"], cfg["weight_decay_lambda"], cfg["dropout_ratio"]
    train_w, test_w = words("訓練", "train"), words("テスト", "test")
    runs = [(words("正則化なし", "plain"), lambda: MultiLayerNet(64, hidden, 10)),
            (f"weight decay λ={lam}", lambda: MultiLayerNet(64, hidden, 10, weight_decay_lambda=lam)),
            (f"dropout {ratio}", lambda: MultiLayerNetExtend(64, hidden, 10, use_dropout=True,
                                                            dropout_ration=ratio))]

    def train(make) -> tuple[dict[str, list[float]], bool]:
        np.random.seed(cfg["seed"])          # the same initial weights for the three nets (and dropout's masks)
        net, optimizer = make(), SGD(lr=cfg["lr"])
        curves: dict[str, list[float]] = {"train_acc": [], "test_acc": [], "train_loss": [], "test_loss": []}

        def measure() -> None:
            for part, xs, ts in (("train", x, t), ("test", x_test, t_test)):
                scores = np.asarray(net.predict(xs), dtype=float)   # testing mode (dropout off)
                curves[f"{part}_acc"].append(float(np.mean(np.argmax(scores, axis=1) == ts)))
                curves[f"{part}_loss"].append(_cross_entropy(scores, ts))

        measure()
        with Training(cfg["steps"], desc=name) as tr:
            for _ in tr:
                optimizer.update(net.params, net.gradient(x, t))   # full batch: one step is one epoch
                measure()
                tr.update(loss=curves["train_loss"][-1], test_acc=curves["test_acc"][-1])
        return curves, tr.interrupted

    grid = c.subplots(2, 3, sharex=True)
    stopped, plain_test_loss = False, None
    for col, (name, make) in enumerate(runs):
        acc_ax, loss_ax = grid[0, col], grid[1, col]
        if stopped:
            c.note(acc_ax, text("f_panel_stopped"))
            curves = None
        else:
            out = c.attempt(train, make, ax=acc_ax)
            curves, stopped = out if out is not None else (None, False)
            if stopped:
                c.note(acc_ax, text("f_panel_stopped"))
        if curves is not None:
            steps = np.arange(len(curves["train_acc"]))
            acc_ax.plot(steps, curves["train_acc"], color="C0", label=train_w)
            acc_ax.plot(steps, curves["test_acc"], color="C1", label=test_w)
            gap = curves["train_acc"][-1] - curves["test_acc"][-1]
            acc_ax.text(0.97, 0.32, f"{train_w} {curves['train_acc'][-1]:.2f}\n{test_w} {curves['test_acc'][-1]:.2f}\n"
                        + words("差", "gap") + f" {gap:.2f}", transform=acc_ax.transAxes, ha="right", va="top", fontsize=9)
            if plain_test_loss is not None:
                loss_ax.plot(plain_test_loss, color="#bbb", ls="--", label=words("テスト (正則化なし)", "test (plain)"))
            loss_ax.plot(steps, curves["train_loss"], color="C0", label=train_w)
            loss_ax.plot(steps, curves["test_loss"], color="C1", label=test_w)
            if col == 0:
                plain_test_loss = curves["test_loss"]
            loss_gap = curves["test_loss"][-1] - curves["train_loss"][-1]
            loss_ax.text(0.97, 0.12, f"{test_w} - {train_w} {loss_gap:.2f}", transform=loss_ax.transAxes,
                         ha="right", va="bottom", fontsize=9)
            c.mark(loss_ax)
            acc_ax.legend(loc="center right", fontsize=8)
            loss_ax.legend(loc="upper right", fontsize=8)
        acc_ax.set(title=name, ylim=(0, 1.02), ylabel=words("認識精度", "accuracy") if col == 0 else None)
        loss_ax.set(xlabel=words("SGD のステップ (全データを 1 バッチ)", "SGD step (full batch)"), ylim=(0, 2.5),
                    ylabel=words("交差エントロピー", "cross-entropy") if col == 0 else None)
        for ax in (acc_ax, loss_ax):
            ax.grid(alpha=0.3)
            c.done(ax)
    c.fig.supxlabel(words(
        f"訓練データは数字 {cfg['train_size']} 枚、隠れ層は {hidden[0]} ユニットの ReLU 層 {len(hidden)} つ、訓練データ全体で SGD "
        f"lr={cfg['lr']}。認識精度と損失はテスト時の動作で、損失には Weight decay の項を含めません。\n"
        "シードは 1 つ。シード 0〜7 では Weight decay は最後のテストの損失を必ず下げ、Dropout は 8 回中 7 回下げましたが、"
        "認識精度の差はどちらにも数ポイント動きました:\n50 枚では見たことのない数字には足りず、"
        "どの正則化もそれは補えません。",
        f"{cfg['train_size']} training digits, {len(hidden)} hidden ReLU layers of {hidden[0]}, "
                    f"SGD lr={cfg['lr']} on the whole training set; accuracy and loss in testing mode, the loss "
                    "without the weight-decay term.\nOne seed. Over seeds 0-7, weight decay always lowered the final "
                    "test loss and dropout did in 7 of 8, while the accuracy gap moved\nby a few points either way: "
                    "50 samples are too few for the digits the net never saw, and no regularisation makes up for that."),
        fontsize=9, color="#555")
