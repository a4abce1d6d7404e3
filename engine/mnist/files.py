"""Where the four MNIST files live and how they become arrays a network can eat.

MNIST is never shipped with the project (licence and size); the app looks for it, in order, in
the folder given on the command line, in the folder named by the environment variable
`DESCENT_LAB_MNIST_DIR`, in the folder chosen last time (`remembered_data_dir`: where the last
download went, or the folder picked in the window) and in the user's data folder (see
`default_data_dir`), where the download puts it by default.

Loaded images are one contiguous float32 array of shape (N, 784) with grey levels in [0, 1]
(0 = background, 1 = full ink): one row per image, ready for `images @ weights`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from engine.atomic_write import atomic_write
from engine.mnist.idx import MnistDataError, not_a_file, read_idx

__all__ = [
    "FILE_NAMES",
    "ENV_VAR",
    "MnistData",
    "default_data_dir",
    "remembered_data_dir",
    "remember_data_dir",
    "mnist_search_path",
    "mnist_file",
    "mnist_files_present",
    "missing_files",
    "find_mnist_dir",
    "load_mnist",
    "load_split",
    "MnistProblem",
    "load_data",
]

#: The four files, by role, as the mirrors name them (gzipped).
FILE_NAMES: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

ENV_VAR = "DESCENT_LAB_MNIST_DIR"
IMAGE_SIDE = 28
NUM_CLASSES = 10


@dataclass
class MnistData:
    """The MNIST arrays. Images (N, 784) float32 in [0, 1]; labels (N,) int64 in 0..9."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    directory: Path | None = None


def default_data_dir() -> Path:
    """The per-user folder the download writes to (e.g. ~/.local/share/descent-lab/mnist)."""
    return Path(platformdirs.user_data_dir("descent-lab", appauthor=False)) / "mnist"


def _memory_file() -> Path:
    """The small text file in the user's config folder that names the folder chosen last time."""
    return Path(platformdirs.user_config_dir("descent-lab", appauthor=False)) / "mnist-folder.txt"


def remembered_data_dir() -> Path | None:
    """The folder chosen last time (a download's target, or a folder picked in the window), if any."""
    try:
        text = _memory_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text else None


def remember_data_dir(directory: str | Path) -> None:
    """Note `directory` as the folder chosen last time, so that `mnist train` finds what
    `mnist download --dir` fetched. Only a convenience: a config folder that cannot be written
    costs the user a --mnist-dir, not their download, so the error is swallowed."""
    path = _memory_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # absolute, but the user's own spelling: a symbolic link stays the link they chose
        with atomic_write(path) as out:   # a full disk leaves the old memory whole
            out.write(f"{os.path.abspath(Path(directory).expanduser())}\n".encode("utf-8"))
    except OSError:
        pass


def mnist_search_path() -> list[Path]:
    """Where MNIST is looked for when no folder is given, in order (see the module docstring)."""
    candidates = []
    env_dir = os.environ.get(ENV_VAR, "").strip()
    if env_dir:
        candidates.append(Path(env_dir).expanduser())
    remembered = remembered_data_dir()
    if remembered is not None:
        candidates.append(remembered)
    candidates.append(default_data_dir())
    return list(dict.fromkeys(candidates))  # a folder named twice (downloaded into the default) once


def mnist_file(directory: str | Path, name: str) -> Path | None:
    """The path of file `name` in `directory`, gzipped or already unpacked; None if neither exists."""
    directory = Path(directory)
    for candidate in (directory / name, directory / name.removesuffix(".gz")):
        if candidate.is_file():
            return candidate
    return None


def missing_files(directory: str | Path) -> str | None:
    """Which of the four files `directory` lacks, and what is there instead, in one line; None when
    all four are there."""
    directory = Path(directory)
    problems = []
    for name in FILE_NAMES.values():
        if mnist_file(directory, name) is not None:
            continue
        instead = next((not_a_file(p) for p in (directory / name, directory / name.removesuffix(".gz"))
                        if p.is_symlink() or p.exists()), None)
        problems.append(f"{name} {instead or 'is missing'}")
    return "; ".join(problems) or None


def mnist_files_present(directory: str | Path | None) -> bool:
    """True when all four MNIST files (gz or raw) exist in `directory` (contents not checked)."""
    if directory is None:
        return False
    return all(mnist_file(directory, name) is not None for name in FILE_NAMES.values())


def find_mnist_dir(cli_dir: str | Path | None = None) -> Path | None:
    """The folder to read MNIST from, or None when there is none yet.

    A folder given on the command line is the user's explicit choice: it is returned only if it
    holds the files, with no silent fallback to another place. Otherwise the first folder of
    `mnist_search_path` that holds all four files.
    """
    if cli_dir is not None:
        path = Path(cli_dir).expanduser()
        return path if mnist_files_present(path) else None
    return next((path for path in mnist_search_path() if mnist_files_present(path)), None)


def _images_to_rows(images: np.ndarray, name: str) -> np.ndarray:
    """(N, 28, 28) uint8 -> (N, 784) float32 in [0, 1], one contiguous block."""
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE) or images.dtype != np.uint8:
        raise MnistDataError(
            f"{name}: expected 28x28 byte images, found shape {images.shape} of {images.dtype}"
        )
    if images.shape[0] == 0:
        raise MnistDataError(f"{name}: holds no images")
    rows = np.empty((images.shape[0], IMAGE_SIDE * IMAGE_SIDE), dtype=np.float32)
    np.multiply(images.reshape(images.shape[0], -1), np.float32(1 / 255), out=rows)
    return rows


def _labels_to_int(labels: np.ndarray, name: str) -> np.ndarray:
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise MnistDataError(f"{name}: expected a list of byte labels, found shape {labels.shape}")
    if labels.size and labels.max() >= NUM_CLASSES:
        raise MnistDataError(f"{name}: contains label {int(labels.max())}, but digits are 0 to 9")
    return labels.astype(np.int64)


def load_split(directory: str | Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 784) float32 and labels (N,) int64 of `split` ("train" or "test")."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    directory = Path(directory)
    found = {}
    for role in (f"{split}_images", f"{split}_labels"):
        path = mnist_file(directory, FILE_NAMES[role])
        if path is None:
            raise MnistDataError(f"in {directory}: {missing_files(directory)}")
        found[role] = path
    images = _images_to_rows(read_idx(found[f"{split}_images"]), found[f"{split}_images"].name)
    labels = _labels_to_int(read_idx(found[f"{split}_labels"]), found[f"{split}_labels"].name)
    if images.shape[0] != labels.shape[0]:
        raise MnistDataError(
            f"{found[f'{split}_images'].name} holds {images.shape[0]} images but "
            f"{found[f'{split}_labels'].name} holds {labels.shape[0]} labels"
        )
    return images, labels


def load_mnist(directory: str | Path) -> MnistData:
    """Load and validate all four files from `directory` (takes about a second)."""
    train_images, train_labels = load_split(directory, "train")
    test_images, test_labels = load_split(directory, "test")
    return MnistData(train_images, train_labels, test_images, test_labels, Path(directory))


@dataclass(frozen=True)
class MnistProblem:
    """An expected failure (damaged files, no connection) handed back as a result, in plain words.

    Raising would also work, but a background job's exception is treated as a bug and shown with
    its traceback; a missing network or a damaged download is not a bug.
    """

    message: str


def load_data(directory: str | Path) -> MnistData | MnistProblem:
    """`load_mnist`, with damaged or unreadable files returned as an MnistProblem."""
    try:
        return load_mnist(directory)
    except (MnistDataError, OSError) as exc:
        return MnistProblem(str(exc))
