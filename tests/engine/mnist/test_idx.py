"""IDX parsing: valid files in both packings, and every kind of broken file gives one clear error."""

import gzip
import struct

import numpy as np
import pytest

from engine.mnist.idx import MnistDataError, parse_idx, read_idx


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)


def test_raw_and_gzip_files_give_the_same_array(tmp_path, images):
    raw = tmp_path / "imgs-idx3-ubyte"
    raw.write_bytes(idx_bytes(images))
    packed = tmp_path / "imgs-idx3-ubyte.gz"
    packed.write_bytes(gzip.compress(idx_bytes(images)))
    for path in (raw, packed):
        out = read_idx(path)
        assert out.shape == (5, 28, 28) and out.dtype == np.uint8
        assert out.flags.c_contiguous
        np.testing.assert_array_equal(out, images)


def test_labels_and_wider_types_decode_in_native_byte_order():
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels)), labels)
    values = np.array([[1.5, -2.0], [1e6, 0.25]], dtype=np.float32)
    out = parse_idx(idx_bytes(values, type_code=0x0D))
    assert out.dtype == np.float32 and out.dtype.isnative
    np.testing.assert_array_equal(out, values)


def test_bad_magic_number_is_named(tmp_path, images):
    data = bytearray(idx_bytes(images))
    data[0] = 0x12
    path = tmp_path / "bad-magic"
    path.write_bytes(bytes(data))
    with pytest.raises(MnistDataError, match=r"bad-magic: bad magic number"):
        read_idx(path)


def test_unknown_type_code_is_bad_magic(images):
    data = bytearray(idx_bytes(images))
    data[2] = 0x42
    with pytest.raises(MnistDataError, match="bad magic"):
        parse_idx(bytes(data), "x")


def test_truncated_file_says_how_much_is_missing(tmp_path, images):
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(idx_bytes(images)[:-100]))
    with pytest.raises(MnistDataError, match=r"short.gz: truncated.*\(5, 28, 28\)"):
        read_idx(path)


def test_wrong_count_in_header_is_caught(images):
    data = bytearray(idx_bytes(images))
    data[4:8] = struct.pack(">I", 6)  # header says 6 images, 5 follow
    with pytest.raises(MnistDataError, match="truncated"):
        parse_idx(bytes(data), "x")
    data[4:8] = struct.pack(">I", 4)  # header says 4 images, 5 follow
    with pytest.raises(MnistDataError, match="unexpected bytes"):
        parse_idx(bytes(data), "x")


def test_gz_name_without_gzip_content(tmp_path, images):
    path = tmp_path / "fake.gz"
    path.write_bytes(idx_bytes(images))
    with pytest.raises(MnistDataError, match="fake.gz: is not a gzip file"):
        read_idx(path)


def test_cut_gzip_stream_is_an_incomplete_download(tmp_path, images):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(idx_bytes(images))[:200])
    with pytest.raises(MnistDataError, match="cut.gz: .*cut short"):
        read_idx(path)


def test_tiny_and_missing_files(tmp_path):
    path = tmp_path / "tiny"
    path.write_bytes(b"\x00\x00")
    with pytest.raises(MnistDataError, match="too short"):
        read_idx(path)
    with pytest.raises(MnistDataError, match="not found"):
        read_idx(tmp_path / "absent.gz")
    header_only = bytes([0, 0, 8, 3]) + struct.pack(">I", 1)
    with pytest.raises(MnistDataError, match="header is cut short"):
        parse_idx(header_only, "x")
