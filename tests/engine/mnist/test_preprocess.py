"""Drawings become MNIST-like: 20-pixel box, centre of mass at (14, 14), either polarity, any size."""

import numpy as np
import pytest

from engine.mnist.files import load_split
from engine.mnist.preprocess import (
    centre_of_mass,
    ink_bounding_box,
    preprocess_drawing,
    resize_matrix,
    to_ink,
)


def stroke_digit(size: int, top: int, left: int, height: int, width: int, thickness: int) -> np.ndarray:
    """A light-on-dark '7'-like shape on a (size, size) canvas: a bar on top and a slanted leg."""
    canvas = np.zeros((size, size))
    canvas[top:top + thickness, left:left + width] = 1.0
    for row in range(top, top + height):
        col = left + width - 1 - int((row - top) * (width - thickness) / max(height - 1, 1))
        canvas[row, max(col - thickness + 1, left):col + 1] = 1.0
    return canvas


def check_mnist_like(image):
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.max() == pytest.approx(1.0)
    top, bottom, left, right = ink_bounding_box(image, level=0.0)
    assert max(bottom - top, right - left) <= 20
    row, col = centre_of_mass(image)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


@pytest.mark.parametrize(
    "name, drawing",
    [
        ("small", stroke_digit(280, 130, 130, 20, 14, 3)),
        ("large", stroke_digit(280, 2, 10, 276, 200, 25)),
        ("corner", stroke_digit(280, 0, 0, 60, 40, 6)),
        ("tiny canvas", stroke_digit(28, 20, 20, 7, 5, 1)),
        ("wide and flat", stroke_digit(300, 100, 5, 30, 290, 8)),
    ],
)
def test_drawings_are_boxed_and_centred(name, drawing):
    image = preprocess_drawing(drawing)
    assert image is not None, name
    check_mnist_like(image)
    height = ink_bounding_box(image, 0.0)[1] - ink_bounding_box(image, 0.0)[0]
    width = ink_bounding_box(image, 0.0)[3] - ink_bounding_box(image, 0.0)[2]
    assert max(height, width) == 20, name  # the longer side is scaled to exactly 20 px


def test_position_and_scale_do_not_matter():
    small = preprocess_drawing(stroke_digit(280, 20, 30, 40, 30, 4))
    big_elsewhere = preprocess_drawing(stroke_digit(280, 100, 120, 160, 120, 16))
    assert np.corrcoef(small.ravel(), big_elsewhere.ravel())[0, 1] > 0.9


def test_polarity_from_the_border_and_integer_input():
    light_on_dark = stroke_digit(200, 40, 50, 100, 70, 10)
    dark_on_light = (255 * (1 - light_on_dark)).astype(np.uint8)
    a, b = preprocess_drawing(light_on_dark), preprocess_drawing(dark_on_light)
    np.testing.assert_allclose(a, b, atol=1e-6)
    grey_paper = 0.8 - 0.7 * light_on_dark  # dark ink on grey paper
    np.testing.assert_allclose(preprocess_drawing(grey_paper), a, atol=1e-5)


def test_rgb_and_transparent_inputs():
    ink = stroke_digit(100, 20, 20, 60, 40, 6)
    reference = preprocess_drawing(ink)
    rgb = np.repeat((255 * (1 - ink))[..., None], 3, axis=2).astype(np.uint8)
    np.testing.assert_allclose(preprocess_drawing(rgb), reference, atol=1e-5)
    for stroke_colour in (0, 255):  # black or white strokes on a transparent sheet
        rgba = np.full(ink.shape + (4,), stroke_colour, dtype=np.uint8)
        rgba[..., 3] = (255 * ink).astype(np.uint8)
        np.testing.assert_allclose(preprocess_drawing(rgba), reference, atol=1e-5)
    opaque = np.concatenate([rgb, np.full(ink.shape + (1,), 255, dtype=np.uint8)], axis=2)
    np.testing.assert_allclose(preprocess_drawing(opaque), reference, atol=1e-5)


def test_empty_or_nearly_empty_means_nothing_drawn():
    assert preprocess_drawing(np.zeros((280, 280))) is None
    assert preprocess_drawing(np.full((280, 280), 255, dtype=np.uint8)) is None
    speck = np.zeros((280, 280))
    speck[100:103, 100:103] = 1.0  # a stray click, 9 pixels
    assert preprocess_drawing(speck) is None
    faint = np.zeros((28, 28))
    faint[5:20, 10] = 0.02  # below the ink level
    assert preprocess_drawing(faint) is None


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="NaN"):
        preprocess_drawing(np.full((10, 10), np.nan))
    with pytest.raises(ValueError, match="2-D"):
        preprocess_drawing(np.zeros((2, 3, 4, 5)))
    with pytest.raises(ValueError, match="empty"):
        preprocess_drawing(np.zeros((0, 5)))
    with pytest.raises(ValueError, match="numbers"):
        preprocess_drawing(np.array([["a", "b"], ["c", "d"]]))


def test_resize_matrices_keep_total_ink():
    for n_in, n_out in [(280, 20), (7, 20), (20, 20), (33, 19)]:
        matrix = resize_matrix(n_in, n_out)
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0)  # each output is a weighted mean
        line = np.random.default_rng(0).random(n_in)
        assert abs(line.mean() - (matrix @ line).mean()) < 0.05


def test_to_ink_stretches_float_0_255_scale():
    image = np.zeros((10, 10))
    image[3:7, 3:7] = 255.0
    assert to_ink(image).max() == 1.0


def test_mnist_test_digits_pass_through_nearly_unchanged(mnist_dir):
    images, _ = load_split(mnist_dir, "test")
    sample = images[:300].reshape(-1, 28, 28)
    processed = np.stack([preprocess_drawing(image) for image in sample])
    unchanged = np.mean([np.abs(p - s).max() < 1e-6 for p, s in zip(processed, sample)])
    correlation = np.mean([np.corrcoef(p.ravel(), s.ravel())[0, 1] for p, s in zip(processed, sample)])
    assert unchanged > 0.6 and correlation > 0.98
