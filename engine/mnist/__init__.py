"""MNIST for Descent Lab, one concept per module, each used by both the command line and the window.

* ``idx``, ``files``, ``download`` – the IDX format, the four files on disk, fetching them safely.
* ``preprocess``  – a drawing (pen strokes or a picture) made to look like an MNIST digit.
* ``models``      – the preset networks, training them, shipped and saved models.
* ``outputs``     – what a network says about an image (probabilities, hidden neurons).
* ``non_digits``  – six kinds of pictures that are not digits, for teaching and judging "not a digit".
* ``experiments`` – evaluation, the noise experiment, the "not a digit" training data, shifted digits.
* ``progress``    – a training run as cumulative snapshots for the window.

This module gathers the data-side names so callers write `from engine.mnist import load_mnist`.
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
    download_steps,
    file_is_valid,
    iter_download,
    normalise_mirror,
)
from engine.mnist.files import (
    ENV_VAR,
    FILE_NAMES,
    MnistData,
    MnistProblem,
    default_data_dir,
    find_mnist_dir,
    load_data,
    load_mnist,
    load_split,
    mnist_file,
    mnist_files_present,
    mnist_search_path,
    remember_data_dir,
    remembered_data_dir,
)
from engine.mnist.preprocess import (centre_of_mass, ink_bounding_box, preprocess_drawing, preprocess_strokes,
                                     raw_drawing, to_ink)

__all__ = [
    "MnistDataError", "parse_idx", "read_idx",
    "MIRRORS", "SHA256", "SIZES", "DownloadCancelled", "DownloadError", "DownloadProgress",
    "download_mnist", "download_steps", "file_is_valid", "iter_download", "normalise_mirror",
    "ENV_VAR", "FILE_NAMES", "MnistData", "MnistProblem", "default_data_dir", "find_mnist_dir",
    "load_data", "load_mnist",
    "load_split", "mnist_file", "mnist_files_present", "mnist_search_path", "remember_data_dir",
    "remembered_data_dir",
    "centre_of_mass", "ink_bounding_box", "preprocess_drawing", "preprocess_strokes", "raw_drawing", "to_ink",
]
