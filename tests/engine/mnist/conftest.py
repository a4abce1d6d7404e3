"""Helpers shared by the MNIST engine tests."""

import numpy as np
import pytest

from engine.mnist import MnistData


@pytest.fixture
def easy_digits() -> MnistData:
    """300 training and 100 test images of ten easy 'digits': class c lights up its own band of rows."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 300)
    images = rng.random((300, 784), dtype=np.float32) * 0.1
    for i, c in enumerate(labels):
        images[i, c * 78:(c + 1) * 78] += 0.8
    return MnistData(images, labels.astype(np.int64), images[:100].copy(), labels[:100].astype(np.int64))
