# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。
# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。
# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""第 8 章 — より深い CNN の下ごしらえ (§8.1.1): 各段の形と He の初期値。

ネットワークはレイヤの仕様 (dict) のリストで表します (書き方は英語の説明のとおり、
pool は max プーリングでパディングなし)。形は画像 1 枚ごとの (C, H, W) で、バッチの軸 N は省きます。

Chapter 8 — the bookkeeping of a deeper ConvNet (§8.1.1): stage shapes and He initialisation.

A network is described as a list of layer specs, each a dict:
  {"type": "conv", "filter_num": FN, "filter_size": FS, "pad": P, "stride": S}
  {"type": "pool", "pool_h": PH, "pool_w": PW, "stride": S}   (max pooling, no padding)
Shapes are per image, (C, H, W); the batch axis N is left out.
"""
from __future__ import annotations

import numpy as np

from ch07.util import conv_output_size


def _conv(filter_num: int, pad: int = 1) -> dict:
    return {"type": "conv", "filter_num": filter_num, "filter_size": 3, "pad": pad, "stride": 1}


_POOL = {"type": "pool", "pool_h": 2, "pool_w": 2, "stride": 2}

# The book's DeepConvNet (§8.1.1): six 3×3 convolutions, a 2×2 max pooling after every
# second one. The fourth convolution pads by 2, which turns 14 into 16 so that the
# pooled sizes stay whole: 28 → 14 → 16 → 8 → 4.
DEEP_CONVNET_LAYERS = [
    _conv(16), _conv(16), dict(_POOL),
    _conv(32), _conv(32, pad=2), dict(_POOL),
    _conv(64), _conv(64), dict(_POOL),
]


def conv_stack_shapes(input_dim: tuple[int, int, int], layers: list[dict]) -> list[tuple[int, int, int]]:
    """積み重ねたレイヤそれぞれのあとの (C, H, W) (§8.1.1)、レイヤの仕様ごとにタプル 1 つ。

    conv 層は (FN, OH, OW)、OH = conv_output_size(H, FS, S, P)。pool 層はチャンネル数を保ち
    (C, OH, OW)、OH = conv_output_size(H, PH, S)。"conv" と "pool" 以外のレイヤの種類には
    ValueError (conv_output_size を通して、割り切れない大きさにも)。

    The (C, H, W) after each layer of the stack (§8.1.1), one tuple per layer spec.

    A conv layer gives (FN, OH, OW) with OH = conv_output_size(H, FS, S, P); a pool
    layer keeps the channels and gives (C, OH, OW) with OH = conv_output_size(H, PH, S).
    Raises ValueError for a layer type other than "conv" or "pool" (and, through
    conv_output_size, for sizes that do not tile).

    本との違い: 本のコードにはない関数です: DeepConvNet (§8.1.1) の各段の形を、本は __init__
    の中で決め打ちしています。ここではその計算を関数にします。
    Differs from the book: Not a function of the book's code: the book fixes each
    stage's shape of DeepConvNet (§8.1.1) inside __init__. Here that computation is a
    function.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.conv_stack_shapes (§8.1.1): conv_stack_shapes を書きましょう / write conv_stack_shapes")


def flattened_size(input_dim: tuple[int, int, int], layers: list[dict]) -> int:
    """積み重ねたレイヤのあとの最初の affine 層に必要な入力の数: 最後の段の C·H·W。

    レイヤがなければ入力そのものの大きさ。(1, 28, 28) での DeepConvNet: 64·4·4 = 1024。

    How many inputs the first affine layer after the stack needs: C·H·W of the last stage.

    With no layers, the size of the input itself. DeepConvNet on (1, 28, 28): 64·4·4 = 1024.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.conv_stack_shapes (§8.1.1): flattened_size を書きましょう / write flattened_size")


def he_init_params(input_dim: tuple[int, int, int] = (1, 28, 28), layers: list[dict] = DEEP_CONVNET_LAYERS,
                   hidden_size: int = 50, output_size: int = 10,
                   rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """積み重ねたレイヤと 2 つの affine 層のための He の初期値のパラメータ (§6.2.3, §8.1.1)。

    キーは順に W1, b1, W2, b2, …: conv 層ごとに 1 組、W (FN, C, FS, FS) の C は入ってくるチャンネル数。
    そのあと W (flattened_size, hidden_size) と W (hidden_size, output_size)。W はどれも rng
    (None なら np.random.default_rng()) から引いた N(0, 1)·sqrt(2 / fan_in)。conv 層の fan-in は
    C·FS·FS (1 つの出力が見る数で、画像の大きさではない)、affine 層は入力の大きさ。b は 0。
    プーリング層にはパラメータがありません。

    He-initialised parameters (§6.2.3) for the stack plus two affine layers (§8.1.1).

    Keys W1, b1, W2, b2, … in order: one pair per conv layer, W (FN, C, FS, FS) with
    C the channels coming in; then W (flattened_size, hidden_size) and W
    (hidden_size, output_size). Every W is N(0, 1)·sqrt(2 / fan_in), drawn from rng
    (np.random.default_rng() when None), where a conv layer's fan-in is C·FS·FS
    (what one output sees, not the image size) and an affine layer's is its input
    size. Every b is zeros. Pool layers have no parameters.

    本との違い: 本の DeepConvNet は __init__ の中で np.random.randn から He の初期値を引きます。ここでは rng
    から引く関数にします: 同じ seed で同じ重みになり、テストが比べられるようにするためです。
    Differs from the book: The book's DeepConvNet draws its He initial weights with
    np.random.randn inside __init__. Here it is a function drawing from rng, so that one
    seed gives the same weights and the tests can compare them.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.he_init (§8.1.1): he_init_params を書きましょう / write he_init_params")
