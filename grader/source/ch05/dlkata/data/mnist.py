"""MNIST from files you put on disk yourself: the book's load_mnist (§3.6.1), with no download.

The katas never need MNIST (their tests use the 8×8 digits of dlkata.data);
this is for running the book's experiments at full size. Put the four IDX files,
gzip-compressed or not, in one folder:

    train-images-idx3-ubyte(.gz)   train-labels-idx1-ubyte(.gz)
    t10k-images-idx3-ubyte(.gz)    t10k-labels-idx1-ubyte(.gz)

The folder is $DLKATA_MNIST_DIR if set, else ~/.dlkata/mnist. Every file is
checked: its magic number (2051 for images, 2049 for labels) and that its size
matches its header, so a truncated download or a swapped file gives a clear error.
"""
from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

ENV_VAR = "DLKATA_MNIST_DIR"
DEFAULT_DIR = "~/.dlkata/mnist"
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # where the book's code fetches them


class MnistFileError(ValueError):
    """An MNIST file is there but is not what it should be (wrong kind, truncated, corrupt)."""


def mnist_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder to read: path if given, else $DLKATA_MNIST_DIR, else ~/.dlkata/mnist."""
    chosen = path if path is not None else (os.environ.get(ENV_VAR) or DEFAULT_DIR)
    return Path(chosen).expanduser()


def _locate(folder: Path) -> dict[str, Path]:
    found, missing = {}, []
    for key, stem in FILES.items():
        for name in (stem, stem + ".gz"):
            if (folder / name).is_file():
                found[key] = folder / name
                break
        else:
            missing.append(f"{stem}(.gz)")
    if missing:
        where = "does not exist" if not folder.is_dir() else "lacks " + ", ".join(missing)
        raise FileNotFoundError(
            f"MNIST not found: the folder {folder} {where}.\n"
            f"Put the four MNIST files there, gzip-compressed or not:\n    "
            + "\n    ".join(f"{stem}(.gz)" for stem in FILES.values())
            + f"\n(they can be downloaded from {MIRROR}), or set {ENV_VAR} to the folder that holds them.\n"
            "Nothing is downloaded automatically. The katas' own tests never need MNIST: "
            "they use dlkata.data.load_digits.")
    return found


def _read(path: Path) -> bytes:
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise MnistFileError(f"{path}: not a readable gzip file ({exc}); the download may be "
                             "truncated: fetch it again") from None


def _header(data: bytes, path: Path, magic: int, dims: int) -> tuple[int, ...]:
    size = 4 * (1 + dims)
    found = struct.unpack(">I", data[:4])[0] if len(data) >= 4 else None
    if found is not None and found != magic:
        kinds = {IMAGE_MAGIC: "an image file", LABEL_MAGIC: "a label file"}
        what = (f"this looks like {kinds[found]}" if found in kinds
                else "this is not an MNIST IDX file at all (an error page saved by a failed download?)")
        raise MnistFileError(f"{path}: magic number {found}, expected {magic} ({kinds[magic]}); {what}")
    if len(data) < size:
        raise MnistFileError(f"{path}: {len(data)} bytes, too short even for the {size}-byte header: "
                             "the file is truncated or empty")
    shape = struct.unpack(f">{dims}I", data[4:size])
    want = size + int(np.prod(shape))
    if len(data) != want:
        raise MnistFileError(f"{path}: {len(data)} bytes, but its header ({' × '.join(map(str, shape))}) "
                             f"needs exactly {want}: the file is {'truncated' if len(data) < want else 'too long'}")
    return tuple(shape)


def _images(path: Path) -> np.ndarray:
    data = _read(path)
    n, rows, cols = _header(data, path, IMAGE_MAGIC, 3)
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 1, rows, cols).copy()


def _labels(path: Path) -> np.ndarray:
    data = _read(path)
    _header(data, path, LABEL_MAGIC, 1)
    labels = np.frombuffer(data, dtype=np.uint8, offset=8).copy()
    if labels.size and labels.max() > 9:
        raise MnistFileError(f"{path}: label {labels.max()} found, MNIST labels are 0..9")
    return labels


def _one_hot(t: np.ndarray) -> np.ndarray:
    out = np.zeros((t.size, 10))
    out[np.arange(t.size), t] = 1.0
    return out


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False, *,
               path: str | os.PathLike | None = None):
    """((x_train, t_train), (x_test, t_test)) as the book's load_mnist returns them.

    normalize: images as float32 in [0, 1] (pixel / 255), else uint8 0..255.
    flatten: images as rows of 784 values, else (N, 1, 28, 28) (NCHW).
    one_hot_label: labels as float64 (N, 10) one-hot rows, else uint8 indices.
    path: the folder holding the files (default: $DLKATA_MNIST_DIR, else ~/.dlkata/mnist).
    Raises FileNotFoundError (saying where to put the files) when some are missing,
    MnistFileError (a ValueError) when one is the wrong kind, truncated or corrupt.
    """
    files = _locate(mnist_dir(path))
    out = []
    for part in ("train", "test"):
        x, t = _images(files[f"{part}_images"]), _labels(files[f"{part}_labels"])
        if len(x) != len(t):
            raise MnistFileError(f"{files[f'{part}_images']} holds {len(x)} images but "
                                 f"{files[f'{part}_labels']} holds {len(t)} labels: mismatched files")
        if normalize:
            x = x.astype(np.float32) / np.float32(255.0)
        if flatten:
            x = x.reshape(len(x), -1)
        out.append((x, _one_hot(t) if one_hot_label else t))
    return tuple(out)
