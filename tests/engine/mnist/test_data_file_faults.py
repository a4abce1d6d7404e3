"""MNIST files that are empty, absurd or not files at all: one line naming the file (issue 16,
items 5 and "Also")."""

from __future__ import annotations

import gzip
import os
import struct
import time

import numpy as np
import pytest

from engine.mnist.files import FILE_NAMES, load_data, load_split, missing_files
from engine.mnist.idx import MAX_IDX_BYTES, MnistDataError, parse_idx, read_idx
from tests.engine.mnist.test_mnist_files import make_fake_mnist

IMAGES = FILE_NAMES["train_images"]


def header(*shape: int, type_code: int = 0x08) -> bytes:
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape)


def test_dimensions_whose_product_overflows_are_one_line():
    # 2³²−1 cubed: a product NumPy's int64 would wrap round; here it is simply far too large
    with pytest.raises(MnistDataError, match=r"imgs: the header describes .* far more than MNIST"):
        parse_idx(header(2**32 - 1, 2**32 - 1, 2**32 - 1) + bytes(100), "imgs")


def test_a_file_just_under_the_old_256_mib_cap_is_refused_from_its_header(tmp_path):
    path = tmp_path / "big-idx3-ubyte"
    with open(path, "wb") as out:
        out.write(header(340_000, 28, 28))
        out.truncate(16 + 340_000 * 784)          # 266 MB, sparse on disk
    started = time.monotonic()
    with pytest.raises(MnistDataError, match="big-idx3-ubyte: .*larger than|far more than MNIST"):
        read_idx(path)
    assert time.monotonic() - started < 2 and 340_000 * 784 > MAX_IDX_BYTES


def test_zero_images_is_one_line(tmp_path):
    make_fake_mnist(tmp_path)
    (tmp_path / IMAGES).write_bytes(gzip.compress(header(0, 28, 28)))
    with pytest.raises(MnistDataError, match=f"{IMAGES}: holds no images"):
        load_split(tmp_path, "train")


@pytest.mark.parametrize("kind, words", [("folder", "is a folder"), ("fifo", "named pipe"),
                                         ("broken link", "broken link")])
def test_something_else_in_place_of_an_mnist_file_is_named(tmp_path, kind, words):
    make_fake_mnist(tmp_path)
    path = tmp_path / IMAGES
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path / "gone")
    assert missing_files(tmp_path).startswith(IMAGES) and words in missing_files(tmp_path)
    result = load_data(tmp_path)                     # never opens the pipe (that would wait forever)
    assert IMAGES in result.message and words in result.message
    with pytest.raises(MnistDataError, match=words):
        read_idx(path)


def test_a_wrong_folder_names_each_missing_file(tmp_path):
    arrays = make_fake_mnist(tmp_path)
    (tmp_path / FILE_NAMES["test_labels"]).unlink()
    assert missing_files(tmp_path) == f"{FILE_NAMES['test_labels']} is missing"
    assert isinstance(arrays["train_images"], np.ndarray)
