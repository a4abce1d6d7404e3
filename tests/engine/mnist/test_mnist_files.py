"""Loading the four files into float32 arrays, and finding the folder they are in."""

import gzip
import struct

import numpy as np
import pytest

from engine.mnist import files as mnist_files
from engine.mnist.idx import MnistDataError
from engine.mnist.files import FILE_NAMES, find_mnist_dir, load_mnist, load_split, mnist_files_present


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    path.write_bytes(gzip.compress(header + array.tobytes()))


def make_fake_mnist(directory, n_train=12, n_test=7, seed=0):
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for role, array in arrays.items():
        write_idx(directory / FILE_NAMES[role], array)
    return arrays


def test_load_scales_to_unit_float32_rows(tmp_path):
    arrays = make_fake_mnist(tmp_path)
    data = load_mnist(tmp_path)
    assert data.train_images.shape == (12, 784) and data.train_images.dtype == np.float32
    assert data.train_images.flags.c_contiguous
    np.testing.assert_allclose(data.train_images, arrays["train_images"].reshape(12, -1) / 255, atol=1e-7)
    assert data.test_labels.dtype == np.int64
    np.testing.assert_array_equal(data.test_labels, arrays["test_labels"])


def test_count_mismatch_between_images_and_labels(tmp_path):
    make_fake_mnist(tmp_path)
    write_idx(tmp_path / FILE_NAMES["test_labels"], np.zeros(6, dtype=np.uint8))
    with pytest.raises(MnistDataError, match="7 images but .* 6 labels"):
        load_split(tmp_path, "test")


def test_label_out_of_range_and_wrong_image_size(tmp_path):
    make_fake_mnist(tmp_path)
    write_idx(tmp_path / FILE_NAMES["test_labels"], np.full(7, 11, dtype=np.uint8))
    with pytest.raises(MnistDataError, match="label 11"):
        load_split(tmp_path, "test")
    write_idx(tmp_path / FILE_NAMES["train_images"], np.zeros((12, 20, 20), dtype=np.uint8))
    with pytest.raises(MnistDataError, match="28x28"):
        load_split(tmp_path, "train")


def test_unpacked_files_are_accepted(tmp_path):
    make_fake_mnist(tmp_path)
    name = FILE_NAMES["test_images"]
    (tmp_path / name.removesuffix(".gz")).write_bytes(gzip.decompress((tmp_path / name).read_bytes()))
    (tmp_path / name).unlink()
    assert mnist_files_present(tmp_path)
    assert load_split(tmp_path, "test")[0].shape == (7, 784)


def test_search_order_cli_then_env_then_last_chosen_then_user_folder(tmp_path, monkeypatch):
    cli, env, user = tmp_path / "cli", tmp_path / "env", tmp_path / "user"
    monkeypatch.setattr(mnist_files, "default_data_dir", lambda: user)
    monkeypatch.delenv(mnist_files.ENV_VAR, raising=False)
    assert find_mnist_dir() is None
    make_fake_mnist(user)
    assert find_mnist_dir() == user
    make_fake_mnist(env)
    monkeypatch.setenv(mnist_files.ENV_VAR, str(env))
    assert find_mnist_dir() == env
    make_fake_mnist(cli)
    assert find_mnist_dir(cli) == cli
    # An explicit folder without the files is not silently replaced by another one.
    assert find_mnist_dir(tmp_path / "empty") is None
    # An empty environment folder falls through to the user folder.
    monkeypatch.setenv(mnist_files.ENV_VAR, str(tmp_path / "nothing"))
    assert find_mnist_dir() == user
    # The folder chosen last time (a download's target) comes before the user folder.
    chosen = tmp_path / "chosen"
    make_fake_mnist(chosen)
    mnist_files.remember_data_dir(chosen)
    assert mnist_files.remembered_data_dir() == chosen
    assert find_mnist_dir() == chosen
    assert mnist_files.mnist_search_path() == [tmp_path / "nothing", chosen, user]
    mnist_files.remember_data_dir(user)
    assert mnist_files.mnist_search_path() == [tmp_path / "nothing", user]
    link = tmp_path / "link"
    link.symlink_to(chosen)
    mnist_files.remember_data_dir(link)
    assert find_mnist_dir() == link  # the folder as the user named it, not where the link points


def test_real_mnist_shapes(mnist_dir):
    data = load_mnist(mnist_dir)
    assert data.train_images.shape == (60000, 784) and data.test_images.shape == (10000, 784)
    assert data.train_images.dtype == np.float32 and data.train_images.flags.c_contiguous
    assert 0.0 == data.train_images.min() and data.train_images.max() == 1.0
    assert np.bincount(data.test_labels, minlength=10).min() > 800
