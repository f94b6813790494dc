# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 7 章 — 畳み込みの下ごしらえ: 出力の大きさ、im2col と col2im (§7.2.4, §7.4)。

画像は NCHW の順のバッチ: (バッチ N, チャンネル C, 高さ H, 幅 W)。im2col はバッチのフィルタの
ウィンドウをそれぞれ行列の 1 行にし、畳み込みを 1 回の行列の積にします。col2im はその随伴で、
そのような行の行列を画像の形に戻し、ウィンドウが重なる所は足し合わせます。

Chapter 7 — the bookkeeping of convolution: output sizes, im2col and col2im (§7.2.4, §7.4).

Images are batches in NCHW order: (batch N, channels C, height H, width W).
im2col turns every filter window of a batch into one row of a matrix, so that a
convolution becomes one matrix product; col2im is its adjoint and sends such a
matrix of rows back to image shape, adding up the windows where they overlap.
"""
from __future__ import annotations

import numpy as np


def conv_output_size(input_size: int, filter_size: int, stride: int = 1, pad: int = 0) -> int:
    """畳み込みやプーリングの 1 つの軸の出力の長さ (§7.2.4): (H + 2P − FH)/S + 1。

    Python の int を返します。フィルタがパディング後の入力に収まらないとき、または
    (H + 2P − FH) が S の倍数でない (ウィンドウが入力をちょうど敷き詰めない) ときは ValueError。

    Output length of a convolution or pooling along one axis (§7.2.4): (H + 2P − FH)/S + 1.

    Returns a Python int. Raises ValueError when the filter does not fit in the
    padded input, or when (H + 2P − FH) is not a multiple of S (the windows
    would not tile the input exactly).

    本との違い: 本の conv_output_size は (H + 2P − FH)/S + 1 を float のまま返し、割り切れなくても何も言いません。ここでは
    int を返し、フィルタが入らないときや割り切れないときは ValueError を出します: 形の誤りをその場で知らせるためです。
    Differs from the book: The book's conv_output_size returns (H + 2P − FH)/S + 1 as a
    float and says nothing when it does not divide. Here return an int and raise
    ValueError when the filter does not fit or the windows do not tile: a shape mistake
    is reported where it happens.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch07.conv_output_size (§7.2.4): conv_output_size を書きましょう / write conv_output_size")


def im2col(input_data: np.ndarray, filter_h: int, filter_w: int, stride: int = 1,
           pad: int = 0) -> np.ndarray:
    """NCHW のバッチのフィルタのウィンドウをそれぞれ 1 行に展開します (§7.4.2)。

    形 (N·OH·OW, C·FH·FW) の行列を返します。行は (n, oh, ow) の順、各行の列は (c, fh, fw) の順で
    W.reshape(FN, -1) と同じ順なので、畳み込みは im2col(x) @ W.reshape(FN, -1).T。入力は H と W の
    両側に `pad` だけ 0 を詰め、出力の大きさは conv_output_size に従います。
    ベクトル化: ループはフィルタ内の位置だけで、画像や出力の位置では回しません。

    Unfold every filter window of an NCHW batch into a row (§7.4.2).

    Returns a matrix of shape (N·OH·OW, C·FH·FW). Rows are ordered (n, oh, ow)
    and the columns of a row (c, fh, fw), the order of W.reshape(FN, -1), so a
    convolution is im2col(x) @ W.reshape(FN, -1).T. The input is zero-padded by
    `pad` on each side of H and W; output sizes follow conv_output_size.
    Vectorised: loop over the filter offsets only, never over images or positions.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch07.im2col (§7.4.2): im2col を書きましょう / write im2col")


def col2im(col: np.ndarray, input_shape: tuple[int, int, int, int], filter_h: int,
           filter_w: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """im2col の並びの行を、形 input_shape の NCHW のバッチに畳み戻します (§7.4.3)。

    im2col の随伴: 各要素を元のピクセルに足し込む (+=) ので、複数のウィンドウに覆われるピクセルは
    その和を受け取ります。パディングは最後に切り落とします。col2im(im2col(x)) は x に各ピクセルを
    覆うウィンドウの数を掛けたもの。

    Fold rows in im2col's layout back into an NCHW batch of shape input_shape (§7.4.3).

    The adjoint of im2col: each entry is added (+=) to the pixel it came from, so
    pixels covered by several windows receive the sum of their entries; the
    padding is cut off at the end. col2im(im2col(x)) is x times how many windows
    cover each pixel.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch07.col2im (§7.4.3): col2im を書きましょう / write col2im")
