"""Reading IDX files, the simple binary format MNIST is published in.

An IDX file is a 4-byte magic number, one big-endian 32-bit size per dimension, then the
values in row-major order. The magic number says two things: its third byte is the value type
(0x08 = unsigned byte for MNIST) and its fourth byte the number of dimensions. So the MNIST
image files start with 0x00000803 (2051: bytes, 3 dimensions) and the label files with 0x00000801
(2049: bytes, 1 dimension).

Everything that can be wrong with a file (not gzip although named .gz, a bad magic number, a file
shorter or longer than its header promises) raises one `MnistDataError` that names the file and
says what is wrong, so a student who points the app at the wrong folder gets a sentence, not a
traceback.
"""

from __future__ import annotations

import gzip
import io
import math
import stat
import zlib
from pathlib import Path

import numpy as np

__all__ = ["MnistDataError", "IDX_TYPES", "read_idx", "parse_idx", "not_a_file"]

#: IDX type code -> NumPy dtype (big-endian where it matters).
IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

#: Refuse to read or decompress more than this many bytes: a little above MNIST's largest file
#: (47,040,016 bytes, the training images), whose images take 188 MB once they are float32. A wrong or
#: hostile file must not fill the memory.
MAX_IDX_BYTES = 50_000_000

_GZIP_MAGIC = b"\x1f\x8b"


class MnistDataError(ValueError):
    """A data file is missing, unreadable or not what it claims to be (message names the file)."""


def not_a_file(path: Path) -> str | None:
    """What is at `path` instead of a regular file, in words (None for a regular file or nothing).
    Checked before opening: opening a named pipe would wait for a writer forever."""
    if path.is_symlink() and not path.exists():
        return "is a broken link"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be examined ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    return "is not a regular file"


def _read_bytes(path: Path) -> bytes:
    """The file's payload, gunzipped when it is (or claims to be) gzip."""
    problem = not_a_file(path)
    if problem is not None:
        raise MnistDataError(f"{path.name}: {problem}")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_IDX_BYTES + 1)
    except FileNotFoundError:
        raise MnistDataError(f"{path.name}: file not found in {path.parent}") from None
    except OSError as exc:
        raise MnistDataError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None

    looks_gzip = raw[:2] == _GZIP_MAGIC
    if path.suffix == ".gz" and not looks_gzip:
        raise MnistDataError(f"{path.name}: is not a gzip file although its name ends in .gz")
    if not looks_gzip:
        if len(raw) > MAX_IDX_BYTES:
            raise MnistDataError(f"{path.name}: is larger than {MAX_IDX_BYTES} bytes, too big for MNIST")
        return raw
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(MAX_IDX_BYTES + 1)
    except EOFError:
        raise MnistDataError(f"{path.name}: the gzip data is cut short (incomplete download?)") from None
    except (OSError, zlib.error) as exc:
        raise MnistDataError(f"{path.name}: the gzip data is damaged ({exc})") from None
    if len(data) > MAX_IDX_BYTES:
        raise MnistDataError(f"{path.name}: unpacks to more than {MAX_IDX_BYTES} bytes, too big for MNIST")
    return data


def parse_idx(data: bytes, name: str = "data") -> np.ndarray:
    """Decode IDX bytes into an array of the shape in the header (native byte order).

    `name` is only used in error messages.
    """
    if len(data) < 4:
        raise MnistDataError(f"{name}: too short to be an IDX file ({len(data)} bytes)")
    zero1, zero2, type_code, ndim = data[0], data[1], data[2], data[3]
    magic = int.from_bytes(data[:4], "big")
    if zero1 != 0 or zero2 != 0 or type_code not in IDX_TYPES or ndim == 0:
        raise MnistDataError(
            f"{name}: bad magic number 0x{magic:08X} (expected 0x00000803 for images "
            f"or 0x00000801 for labels); this is not an IDX file"
        )
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise MnistDataError(f"{name}: the header is cut short ({len(data)} of {header_len} bytes)")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = IDX_TYPES[type_code]
    expected = dtype.itemsize * math.prod(shape)    # Python integers: a product of sizes cannot overflow
    if expected > MAX_IDX_BYTES:
        raise MnistDataError(f"{name}: the header describes {' × '.join(map(str, shape))} values, "
                             f"far more than MNIST (at most {MAX_IDX_BYTES:,} bytes)")
    actual = len(data) - header_len
    if actual < expected:
        raise MnistDataError(
            f"{name}: truncated: the header promises {shape} values ({expected} bytes) "
            f"but only {actual} bytes follow"
        )
    if actual > expected:
        raise MnistDataError(
            f"{name}: {actual - expected} unexpected bytes after the {shape} values the header describes"
        )
    values = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize, offset=header_len)
    return np.ascontiguousarray(values.reshape(shape).astype(dtype.newbyteorder("="), copy=False))


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file, gzipped or raw, and return its array (validated; see `parse_idx`)."""
    path = Path(path)
    return parse_idx(_read_bytes(path), name=path.name)
