"""Chapter 7's figures: what the first convolution layer learns, with the learner's SimpleConvNet."""
from __future__ import annotations

import numpy as np

from dlkata.figures import Canvas, figure, quick, text, words

# A small SimpleConvNet on the 8×8 digits (tests/ch07's training check: > 0.96 after 10 epochs).
CONV = dict(filter_num=16, filter_size=5, pad=2, stride=1)
TRAIN = dict(hidden_size=50, weight_init_std=0.01, lr=0.003, epochs=10, batch_size=100, seed=0)


def mosaic(images: np.ndarray, cols: int = 4, size: int = 24, gap: int = 2) -> np.ndarray:
    """Small images (N, H, W) side by side in rows of cols, each blown up to about size
    pixels across, with NaN in gaps of gap pixels between them.

    Each image is scaled on its own, as the book's filter_show does, here by its
    largest |value|: to [-1, 1], with 0 staying 0."""
    n = len(images)
    zoom = max(1, size // max(images.shape[1:]))
    images = np.kron(images, np.ones((1, zoom, zoom)))
    _, h, w = images.shape
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for k, im in enumerate(images):
        top = np.max(np.abs(im)) or 1.0
        r, q = divmod(k, cols)
        out[r * (h + gap):r * (h + gap) + h, q * (w + gap):q * (w + gap) + w] = im / top
    return out


def _show(ax, image: np.ndarray, symmetric: bool = True) -> None:
    import matplotlib

    cmap = matplotlib.colormaps["gray_r"].copy()     # black: large (as the book's filter_show)
    cmap.set_bad("#9ec3e6")                            # the gaps between images
    ax.imshow(image, cmap=cmap, vmin=-1 if symmetric else 0, vmax=1, interpolation="nearest")


@figure("ch07.first_layer_filters", section="7.6", size=(15, 4.6),
        needs=["ch07.simple_convnet", "ch07.convolution", "ch07.pooling"],
        title={"ja": "1 層目のフィルタ: 学習前と学習後", "en": "The first layer's filters before and after training"})
def first_layer_filters(c: Canvas) -> None:
    from ch06.optimizer import Adam
    from ch07.simple_convnet import SimpleConvNet
    from dlkata.data import load_digits
    from dlkata.training import Training

    cfg = dict(TRAIN, epochs=1) if quick() else TRAIN
    (x_train, t_train), (x_test, t_test) = load_digits(flatten=False)
    g = np.random.default_rng(cfg["seed"])
    net = SimpleConvNet((1, 8, 8), dict(CONV), hidden_size=cfg["hidden_size"], output_size=10,
                        weight_init_std=cfg["weight_init_std"], rng=g)
    before_w = np.array(net.params["W1"], dtype=float)             # (FN, 1, FH, FW)

    before, after, digit_ax, maps_ax = c.subplots(1, 4)
    fs = CONV["filter_size"]
    _show(before, mosaic(before_w[:, 0]))
    c.mark(before)
    acc0 = c.attempt(net.accuracy, x_test, t_test, ax=after)
    accuracy = words("テストの認識精度", "test accuracy")
    before.set_title(words(f"学習前の W1: {fs}×{fs} のフィルタ {CONV['filter_num']} 枚、N(0, {cfg['weight_init_std']}²)",
                           f"W1 before training: {CONV['filter_num']} filters {fs}×{fs}, N(0, {cfg['weight_init_std']}²)")
                     + (f"\n{accuracy} {acc0:.2f}" if acc0 is not None else ""), fontsize=10)

    def train() -> tuple[list[float], bool]:
        optimizer = Adam(lr=cfg["lr"])
        n, b = len(x_train), cfg["batch_size"]
        per_epoch = -(-n // b)
        with Training(cfg["epochs"] * per_epoch, desc="SimpleConvNet") as tr:
            for i in tr:
                if i % per_epoch == 0:
                    order = g.permutation(n)
                batch = order[(i % per_epoch) * b:(i % per_epoch + 1) * b]
                optimizer.update(net.params, net.gradient(x_train[batch], t_train[batch]))
                loss = getattr(net.last_layer, "loss", None)
                tr.update(loss=None if loss is None else float(loss), epoch=i // per_epoch + 1)
        return tr.steps / per_epoch, tr.interrupted

    out = c.attempt(train, ax=after)
    if out is not None:
        epochs, stopped = out
        if stopped:
            c.note(after, text("f_panel_stopped"))
        acc = c.attempt(net.accuracy, x_test, t_test, ax=after)
        _show(after, mosaic(np.array(net.params["W1"], dtype=float)[:, 0]))
        after.set_title(words(f"数字で Adam(lr={cfg['lr']}) を {epochs:.3g} エポック学習したあとの W1",
                              f"W1 after {epochs:.3g} epochs of Adam(lr={cfg['lr']}) on the digits")
                        + (f"\n{accuracy} {acc:.2f}" if acc is not None else ""), fontsize=10)

        # What each learned filter picks out of one test digit: conv1 → ReLU.
        digit = x_test[:1]
        maps = c.attempt(net.layers["Conv1"].forward, digit, ax=maps_ax)
        if maps is not None:
            _show(maps_ax, mosaic(np.maximum(np.asarray(maps, dtype=float)[0], 0.0)), symmetric=False)
            maps_ax.set_title(words("学習した各フィルタをその数字に:\nReLU(conv)、ネットワークが見るマップ",
                                    "each trained filter on that digit:\nReLU(conv), the maps the net sees"), fontsize=10)
        digit_ax.imshow(digit[0, 0], cmap="gray_r", interpolation="nearest")
        digit_ax.set_title(words(f"テストデータの数字 (ラベル {t_test[0]})", f"a test digit (label {t_test[0]})"), fontsize=10)
        c.mark(digit_ax)
    else:
        after.set_title(words("学習後の W1", "W1 after training"), fontsize=10)
        digit_ax.set_axis_off()
        maps_ax.set_axis_off()
    for ax in (before, after, digit_ax, maps_ax):
        ax.set_xticks([])
        ax.set_yticks([])
        c.done(ax)
    c.fig.supxlabel(words("黒: 大きい、白: 小さい (フィルタ: 黒 > 0 > 白、灰色が 0)。小さな画像はそれぞれ自身の |値| の最大で"
                          "スケールしています",
                          "black: large, white: small (filters: black > 0 > white, grey 0); each small image is scaled "
                          "by its own largest |value|"), fontsize=9, color="#555")
