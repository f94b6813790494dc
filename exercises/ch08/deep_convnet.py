# Your copy, made from the reference by `make exercises`. Replace each
# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.
"""Chapter 8 — the bookkeeping of a deeper ConvNet (§8.1.1): stage shapes and He initialisation.

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
    """The (C, H, W) after each layer of the stack (§8.1.1), one tuple per layer spec.

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
    raise NotImplementedError("ch08.conv_stack_shapes (§8.1.1): write conv_stack_shapes")


def flattened_size(input_dim: tuple[int, int, int], layers: list[dict]) -> int:
    """How many inputs the first affine layer after the stack needs: C·H·W of the last stage.

    With no layers, the size of the input itself. DeepConvNet on (1, 28, 28): 64·4·4 = 1024.
    """
    # YOUR CODE HERE
    raise NotImplementedError("ch08.conv_stack_shapes (§8.1.1): write flattened_size")


def he_init_params(input_dim: tuple[int, int, int] = (1, 28, 28), layers: list[dict] = DEEP_CONVNET_LAYERS,
                   hidden_size: int = 50, output_size: int = 10,
                   rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """He-initialised parameters (§6.2.3) for the stack plus two affine layers (§8.1.1).

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
    raise NotImplementedError("ch08.he_init (§8.1.1): write he_init_params")
