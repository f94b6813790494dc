"""dlkata.data.mnist: the book's load_mnist API over IDX files the tests write themselves (nothing downloads)."""
import gzip
import socket
import struct

import numpy as np
import pytest

from dlkata.data import mnist
from dlkata.data.mnist import MnistFileError, load_mnist


def idx_images(images: np.ndarray) -> bytes:
    n, rows, cols = images.shape
    return struct.pack(">IIII", 2051, n, rows, cols) + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray) -> bytes:
    return struct.pack(">II", 2049, len(labels)) + labels.astype(np.uint8).tobytes()


def write(folder, stem, data: bytes, gz: bool):
    folder.mkdir(parents=True, exist_ok=True)
    if gz:
        (folder / (stem + ".gz")).write_bytes(gzip.compress(data))
    else:
        (folder / stem).write_bytes(data)


@pytest.fixture
def data():
    g = np.random.default_rng(0)
    return {"train": (g.integers(0, 256, (5, 28, 28)), np.array([5, 0, 4, 1, 9])),
            "test": (g.integers(0, 256, (3, 28, 28)), np.array([7, 2, 1]))}


def make_folder(folder, data, gz=(True, False, True, False)):
    """The four files; gz says which of them are compressed (a mix must work)."""
    (xtr, ttr), (xte, tte) = data["train"], data["test"]
    write(folder, "train-images-idx3-ubyte", idx_images(xtr), gz[0])
    write(folder, "train-labels-idx1-ubyte", idx_labels(ttr), gz[1])
    write(folder, "t10k-images-idx3-ubyte", idx_images(xte), gz[2])
    write(folder, "t10k-labels-idx1-ubyte", idx_labels(tte), gz[3])
    return folder


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("load_mnist must never touch the network")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_books_defaults(tmp_path, data, monkeypatch):
    monkeypatch.setenv("DLKATA_MNIST_DIR", str(make_folder(tmp_path / "m", data)))
    (x_train, t_train), (x_test, t_test) = load_mnist()
    assert x_train.shape == (5, 784) and x_test.shape == (3, 784)
    assert x_train.dtype == np.float32 and x_test.dtype == np.float32
    np.testing.assert_allclose(x_train, data["train"][0].reshape(5, -1) / 255.0, rtol=1e-6)
    assert x_train.min() >= 0.0 and x_train.max() <= 1.0
    assert t_train.dtype == np.uint8 and t_train.tolist() == [5, 0, 4, 1, 9]
    assert t_test.tolist() == [7, 2, 1]


def test_raw_images_and_image_shape(tmp_path, data):
    folder = make_folder(tmp_path, data, gz=(False, True, False, True))
    (x_train, _), (x_test, _) = load_mnist(normalize=False, flatten=False, path=folder)
    assert x_train.dtype == np.uint8 and x_train.shape == (5, 1, 28, 28)
    assert np.array_equal(x_train[:, 0], data["train"][0]) and np.array_equal(x_test[:, 0], data["test"][0])
    assert x_train.flags.writeable, "the arrays belong to the caller: they must be writable"
    (xf, _), _ = load_mnist(normalize=True, flatten=False, path=folder)
    assert xf.shape == (5, 1, 28, 28) and xf.dtype == np.float32


def test_one_hot_labels(tmp_path, data):
    (_, t_train), (_, t_test) = load_mnist(one_hot_label=True, path=make_folder(tmp_path, data))
    assert t_train.shape == (5, 10) and t_train.dtype == np.float64
    assert t_train.argmax(axis=1).tolist() == [5, 0, 4, 1, 9] and np.all(t_train.sum(axis=1) == 1)
    assert t_test.shape == (3, 10)


def test_gzip_or_not(tmp_path, data):
    plain = load_mnist(normalize=False, path=make_folder(tmp_path / "plain", data, gz=(False,) * 4))
    packed = load_mnist(normalize=False, path=make_folder(tmp_path / "gz", data, gz=(True,) * 4))
    for a, b in zip(np.concatenate([p for pair in plain for p in pair], axis=None),
                    np.concatenate([p for pair in packed for p in pair], axis=None)):
        assert np.array_equal(a, b)


def test_default_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DLKATA_MNIST_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert mnist.mnist_dir() == tmp_path / ".dlkata" / "mnist"
    monkeypatch.setenv("DLKATA_MNIST_DIR", str(tmp_path / "elsewhere"))
    assert mnist.mnist_dir() == tmp_path / "elsewhere"
    assert mnist.mnist_dir(tmp_path / "given") == tmp_path / "given"


def test_missing_files_say_where_to_put_them(tmp_path, data, monkeypatch):
    monkeypatch.setenv("DLKATA_MNIST_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError) as err:
        load_mnist()
    text = str(err.value)
    assert str(tmp_path / "nowhere") in text and "DLKATA_MNIST_DIR" in text and "does not exist" in text
    for stem in mnist.FILES.values():
        assert stem in text
    folder = make_folder(tmp_path / "partial", data)
    (folder / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks t10k-labels-idx1-ubyte\(\.gz\)"):
        load_mnist(path=folder)


def test_swapped_files_are_named_by_magic_number(tmp_path, data):
    folder = make_folder(tmp_path, data, gz=(False,) * 4)
    (folder / "train-images-idx3-ubyte").write_bytes(idx_labels(np.arange(5)))
    with pytest.raises(MnistFileError, match=r"magic number 2049, expected 2051.*a label file"):
        load_mnist(path=folder)
    folder = make_folder(tmp_path / "b", data, gz=(False,) * 4)
    (folder / "t10k-labels-idx1-ubyte").write_bytes(b"<html>Not Found</html>")
    with pytest.raises(MnistFileError, match=r"expected 2049.*not an MNIST IDX file"):
        load_mnist(path=folder)


def test_truncated_files(tmp_path, data):
    folder = make_folder(tmp_path, data, gz=(False,) * 4)
    full = idx_images(data["train"][0])
    (folder / "train-images-idx3-ubyte").write_bytes(full[:-100])
    with pytest.raises(MnistFileError, match="truncated"):
        load_mnist(path=folder)
    (folder / "train-images-idx3-ubyte").write_bytes(full[:10])
    with pytest.raises(MnistFileError, match="too short"):
        load_mnist(path=folder)
    (folder / "train-images-idx3-ubyte").write_bytes(full + b"\0")
    with pytest.raises(MnistFileError, match="too long"):
        load_mnist(path=folder)


def test_truncated_gzip(tmp_path, data):
    folder = make_folder(tmp_path, data, gz=(True,) * 4)
    packed = (folder / "train-labels-idx1-ubyte.gz")
    packed.write_bytes(packed.read_bytes()[:-12])
    with pytest.raises(MnistFileError, match="gzip"):
        load_mnist(path=folder)
    packed.write_bytes(b"not gzip at all")
    with pytest.raises(MnistFileError, match="gzip"):
        load_mnist(path=folder)


def test_mismatched_counts_and_bad_labels(tmp_path, data):
    folder = make_folder(tmp_path, data, gz=(False,) * 4)
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_labels(np.array([1, 2, 3])))
    with pytest.raises(MnistFileError, match="5 images but .* 3 labels"):
        load_mnist(path=folder)
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_labels(np.array([1, 2, 3, 4, 12])))
    with pytest.raises(MnistFileError, match="label 12"):
        load_mnist(path=folder)
    assert issubclass(MnistFileError, ValueError)
