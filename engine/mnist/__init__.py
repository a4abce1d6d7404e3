"""MNIST for Descent Lab: one import for reading, locating, downloading and preparing digits.

The work is split by concept (IDX format, files on disk, download, drawing preprocessing); this
module gathers the public names so callers write `from engine.mnist import load_mnist`.
"""

from engine.mnist.idx import MnistDataError, parse_idx, read_idx
from engine.mnist.download import (
    MIRRORS,
    SHA256,
    SIZES,
    DownloadCancelled,
    DownloadError,
    DownloadProgress,
    download_mnist,
    file_is_valid,
    iter_download,
    normalise_mirror,
)
from engine.mnist.files import (
    ENV_VAR,
    FILE_NAMES,
    MnistData,
    default_data_dir,
    find_mnist_dir,
    load_mnist,
    load_split,
    mnist_file,
    mnist_files_present,
)
from engine.mnist.preprocess import centre_of_mass, ink_bounding_box, preprocess_drawing, to_ink

__all__ = [
    "MnistDataError", "parse_idx", "read_idx",
    "MIRRORS", "SHA256", "SIZES", "DownloadCancelled", "DownloadError", "DownloadProgress",
    "download_mnist", "file_is_valid", "iter_download", "normalise_mirror",
    "ENV_VAR", "FILE_NAMES", "MnistData", "default_data_dir", "find_mnist_dir", "load_mnist",
    "load_split", "mnist_file", "mnist_files_present",
    "centre_of_mass", "ink_bounding_box", "preprocess_drawing", "to_ink",
]
