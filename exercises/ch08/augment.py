# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 8 章 — Data Augmentation (§8.1.2): 手持ちの画像から訓練画像を増やします。

どの関数も NCHW のバッチを受け取って新しい配列を返します: 呼び出し側の画像 (とラベル) は
変えず、出力がそれとメモリを共有することもありません。

Chapter 8 — data augmentation (§8.1.2): more training images from the ones we have.

Every function takes an NCHW batch and returns a new array: the caller's images
(and labels) are never modified, and the output never shares memory with them.
"""
from __future__ import annotations

import numpy as np


def shift(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """バッチのすべての画像を dy ピクセル下、dx ピクセル右にずらします (負なら上、左)。

    out[n, c, i, j] = x[n, c, i − dy, j − dx] (そのピクセルがあれば、なければ 0): 枠から出たものは
    失われ、空いた縁は 0 (回り込みなし)。x と同じ形と dtype。

    Move every image of the batch dy pixels down and dx pixels right (negative: up, left).

    out[n, c, i, j] = x[n, c, i − dy, j − dx] where that pixel exists, else 0: what
    leaves the frame is lost and the uncovered border is zeros (no wrapping round).
    Same shape and dtype as x.

    本との違い: 本のコードにはない関数です: データ拡張 (§8.1.2) は本では説明だけです。
    Differs from the book: Not a function of the book's code: the book describes data
    augmentation (§8.1.2) without code.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.shift (§8.1.2): shift を書きましょう / write shift")


def flip_horizontal(x: np.ndarray) -> np.ndarray:
    """すべての画像を左右反転: out[n, c, i, j] = x[n, c, i, W − 1 − j]。

    画像とチャンネルの順はそのまま。ビューではなく新しい配列。

    Mirror every image left to right: out[n, c, i, j] = x[n, c, i, W − 1 − j].

    The order of the images and of the channels stays; a new array, not a view.

    本との違い: 本のコードにはない関数です: データ拡張 (§8.1.2) は本では説明だけです。
    Differs from the book: Not a function of the book's code: the book describes data
    augmentation (§8.1.2) without code.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.flip (§8.1.2): flip_horizontal を書きましょう / write flip_horizontal")


def random_crop(x: np.ndarray, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """各画像から、画像ごとに引いた位置で height × width のウィンドウを切り抜きます。

    画像 n の左上の角 (top, left) は rng で [0, H − height] × [0, W − width] から一様に引き、
    画像の全チャンネルで共有します。(N, C, height, width) を返します。ウィンドウが画像より
    大きければ ValueError。

    Cut a height × width window out of every image, at a position drawn for each image.

    Image n's top-left corner (top, left) is drawn uniformly from [0, H − height] ×
    [0, W − width] with rng; all channels of an image share it. Returns
    (N, C, height, width). Raises ValueError when the window is larger than the image.

    本との違い: 本のコードにはない関数です: データ拡張 (§8.1.2) は本では説明だけです。位置は rng から引きます (テストが比べられるように)。
    Differs from the book: Not a function of the book's code: the book describes data
    augmentation (§8.1.2) without code. Positions come from rng, so the tests can
    compare them.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.random_crop (§8.1.2): random_crop を書きましょう / write random_crop")


def augment(x: np.ndarray, t: np.ndarray, rng: np.random.Generator, max_shift: int = 1,
            flip: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """訓練データを 2 倍に: 元の画像、続いてそれぞれを変換したコピー 1 つずつを同じ順で。

    コピー n は、[−max_shift, max_shift] の整数から一様に引いた (dy, dx) だけ x[n] をずらし (shift で)、
    flip なら確率 1/2 で左右反転 (flip_horizontal で) したもの。2N 個のサンプルの (x_aug, t_aug) を
    返します。t_aug は t (番号か one-hot の行) を繰り返し、どの画像も自分のラベルを保ちます。
    乱数は rng だけを使います。左右反転してもラベルが変わらないのは一部のデータだけ (数字は違う)。

    Double a training set: the originals, then one transformed copy of each, in the same order.

    Copy n is x[n] shifted by (dy, dx) drawn uniformly from the integers in
    [−max_shift, max_shift] (with shift), then, if flip, mirrored with probability 1/2
    (with flip_horizontal). Returns (x_aug, t_aug) with 2N samples; t_aug repeats t
    (indices or one-hot rows) so that every image keeps its own label. Only rng is
    used for randomness. Mirror images keep their label only for some data: not digits.

    本との違い: 本のコードにはない関数です: データ拡張 (§8.1.2) は本では説明だけです。乱数は rng だけから引きます (テストが比べられるように)。
    Differs from the book: Not a function of the book's code: the book describes data
    augmentation (§8.1.2) without code. All randomness comes from rng, so the tests can
    compare runs.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.augment (§8.1.2): augment を書きましょう / write augment")
