"""Drawings become MNIST-like: 20-pixel box, centre of mass at (14, 14), either polarity, any size,
and strokes as wide as MNIST's whatever the pen."""

import numpy as np
import pytest

import engine.mnist.preprocess as preprocess_module
from engine.mnist.files import load_split
from engine.mnist.models import load_pretrained
from engine.mnist.outputs import class_probabilities
from engine.mnist.preprocess import (
    MNIST_WIDTH_RANGE,
    STROKE_WIDTH,
    centre_of_mass,
    ink_bounding_box,
    preprocess_drawing,
    preprocess_strokes,
    raw_drawing,
    render_centre_lines,
    resize_matrix,
    stroke_width,
    thin,
    to_ink,
)
from tests.polyline_digits import PRINTED, SLANTED, drawings, placed


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


def pen_picture(strokes, pen: float, side: int = 280) -> np.ndarray:
    """A (side, side) picture of the strokes drawn with a round, anti-aliased pen `pen` pixels wide."""
    rows, cols = np.mgrid[0:side, 0:side] + 0.5
    gap = np.full((side, side), np.inf)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float)
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            dx, dy = bx - ax, by - ay
            t = np.clip(((cols - ax) * dx + (rows - ay) * dy) / max(dx * dx + dy * dy, 1e-12), 0, 1)
            np.minimum(gap, np.hypot(cols - ax - t * dx, rows - ay - t * dy), out=gap)
    return np.clip(pen / 2 + 0.5 - gap, 0.0, 1.0)


def test_stroke_width_reads_the_pen_in_pixels():
    for thickness in (4, 10, 24):
        bar = np.zeros((300, 300))
        bar[40:260, 100:100 + thickness] = 1.0
        assert stroke_width(bar) == pytest.approx(thickness, rel=0.12)
    ring = pen_picture([[(150 + 100 * np.cos(a), 150 + 100 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 90)]], 12)
    assert stroke_width(ring) == pytest.approx(12, rel=0.08)
    stack = np.stack([ring, 2 * ring / 2])
    np.testing.assert_allclose(stroke_width(stack), [stroke_width(ring)] * 2)
    assert stroke_width(np.zeros((5, 5))) == 0.0


def test_the_target_width_is_measured_on_mnist(mnist_dir):
    """STROKE_WIDTH and MNIST_WIDTH_RANGE are what stroke_width says about the training digits."""
    images, _ = load_split(mnist_dir, "train")
    widths = stroke_width(images.reshape(-1, 28, 28))
    assert np.median(widths) == pytest.approx(STROKE_WIDTH, abs=0.01)
    np.testing.assert_allclose(np.percentile(widths, [10, 90]), MNIST_WIDTH_RANGE, atol=0.01)


def test_thinning_keeps_the_centre_line_and_its_shape():
    bar = np.zeros((40, 40), dtype=bool)
    bar[5:35, 15:24] = True
    line = thin(bar)
    assert np.all(line.sum(axis=1)[10:30] == 1) and abs(np.flatnonzero(line[20])[0] - 19) <= 1
    ring = pen_picture([[(20 + 12 * np.cos(a), 20 + 12 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 60)]],
                       6, side=40) > 0.5
    loop = thin(ring)
    assert not loop[20, 20] and loop.sum() < ring.sum() / 3
    # still a closed loop: every pixel of it has exactly two neighbours on it
    padded = np.pad(loop, 1).astype(int)
    neighbours = sum(np.roll(np.roll(padded, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - padded
    assert np.all(neighbours[1:-1, 1:-1][loop] >= 2)


def test_rendered_strokes_fill_the_box_with_mnists_pen():
    box = render_centre_lines(np.array([[(0.0, 0.0), (0.0, 7.0)]]))          # a vertical line, any unit
    assert box.shape == (20, 3) and box.max() == 1.0
    assert stroke_width(box) == pytest.approx(STROKE_WIDTH, rel=0.15)
    images = [preprocess_strokes(strokes, 280) for _, strokes in drawings(120, ["middle"])]
    assert np.median(stroke_width(np.stack(images))) == pytest.approx(STROKE_WIDTH, abs=0.15)
    for image in images:
        check_mnist_like(image)


def test_strokes_give_the_same_input_whatever_their_size_and_place():
    large = preprocess_strokes(placed(SLANTED[5], 220), 280)
    for height, where in ((40, "top left"), (60, "bottom right"), (80, "top right")):
        small = preprocess_strokes(placed(SLANTED[5], height, where), 280)
        assert np.corrcoef(small.ravel(), large.ravel())[0, 1] > 0.97
    moved = [[(x + 37.0, y - 11.0) for x, y in stroke] for stroke in placed(PRINTED[2], 90)]
    np.testing.assert_allclose(preprocess_strokes(moved, 280), preprocess_strokes(placed(PRINTED[2], 90), 280),
                               atol=1e-6)


def test_a_click_or_no_strokes_is_nothing_drawn():
    assert preprocess_strokes([], 280) is None
    assert preprocess_strokes([[(100, 100)]], 280) is None          # a click
    assert preprocess_strokes([[(100, 100), (103, 102)]], 280) is None   # a twitch, under 2% of the canvas
    assert preprocess_strokes([[(100, 100), (100, 140)]], 280) is not None
    with pytest.raises(ValueError, match="NaN"):
        preprocess_strokes([[(100, 100), (np.nan, 140)]], 280)


def test_pictures_are_thinned_or_thickened_to_mnists_width(monkeypatch):
    """A picture's pen is estimated and redrawn at MNIST's width; an MNIST-like one is left as it is."""
    strokes = placed(PRINTED[3], 200)
    for pen in (3, 8, 22, 40):
        image = preprocess_drawing(pen_picture(strokes, pen))
        check_mnist_like(image)
        assert MNIST_WIDTH_RANGE[0] <= stroke_width(image) <= MNIST_WIDTH_RANGE[1], pen
    redrawn = []
    original = preprocess_module._redraw
    monkeypatch.setattr(preprocess_module, "_redraw", lambda *a: redrawn.append(1) or original(*a))
    preprocess_drawing(pen_picture(strokes, 3))
    assert redrawn == [1]
    preprocess_drawing(pen_picture(strokes, STROKE_WIDTH * 200 / 20))     # the pen MNIST's would be
    assert redrawn == [1]


def accuracy(network, images, labels) -> float:
    return float(np.mean(class_probabilities(network, np.stack(images).reshape(-1, 784)).argmax(axis=1) == labels))


@pytest.mark.parametrize("model", ["3b1b", "wide"])
def test_small_drawings_in_a_corner_are_read_as_well_as_large_ones(model):
    """Strokes 40-80 px tall in each corner of the 280-px canvas, against the same digits 200 px tall."""
    network = load_pretrained(model)
    large = drawings(200, ["middle"])
    large_accuracy = accuracy(network, [preprocess_strokes(s, 280) for _, s in large], [d for d, _ in large])
    assert large_accuracy >= 0.9
    for height in (40, 60, 80):
        small = drawings(height)
        small_accuracy = accuracy(network, [preprocess_strokes(s, 280) for _, s in small], [d for d, _ in small])
        assert small_accuracy >= large_accuracy - 0.05, height


@pytest.mark.parametrize("model", ["3b1b", "wide"])
def test_pictures_with_a_thin_or_thick_pen_are_read_as_well_as_mnist_like_ones(model):
    """`mnist classify`: pictures of the digits drawn with pens from 3 to 22 px, 80 to 200 px tall."""
    network = load_pretrained(model)
    reference = drawings(200, ["middle"])
    labels = [d for d, _ in reference]
    baseline = accuracy(network, [preprocess_drawing(pen_picture(s, 14)) for _, s in reference], labels)
    assert baseline >= 0.9
    for pen, height, where in ((3, 200, "middle"), (22, 200, "middle"), (22, 80, "top left"), (6, 80, "bottom right")):
        cases = drawings(height, [where])
        shown = accuracy(network, [preprocess_drawing(pen_picture(s, pen)) for _, s in cases], [d for d, _ in cases])
        assert shown >= baseline - 0.05, (pen, height)


def test_raw_drawing_shrinks_the_canvas_without_moving_anything():
    picture = pen_picture(placed(PRINTED[7], 50, "top left"), 22)
    raw = raw_drawing(picture)
    assert raw.shape == (28, 28) and raw.dtype == np.float32
    row, col = centre_of_mass(raw)
    assert row < 6 and col < 6                                   # still in the corner
    assert raw.sum() == pytest.approx(picture.sum() / 100, rel=1e-6)   # the same ink, 10x10 pixels to one
    assert raw_drawing(np.zeros((280, 280))) is None


def test_mnist_test_digits_pass_through_nearly_unchanged(mnist_dir):
    """Digits as wide as MNIST's usual strokes are only boxed and centred; the others are redrawn,
    and the network reads the prepared test digits as well as the originals."""
    images, labels = load_split(mnist_dir, "test")
    sample = images[:1000].reshape(-1, 28, 28)
    processed = np.stack([preprocess_drawing(image) for image in sample])
    widths = stroke_width(sample)
    usual = (widths >= MNIST_WIDTH_RANGE[0]) & (widths <= MNIST_WIDTH_RANGE[1])
    assert 0.75 <= usual.mean() <= 0.85
    unchanged = [np.abs(p - s).max() < 1e-6 for p, s in zip(processed[usual], sample[usual])]
    correlation = [np.corrcoef(p.ravel(), s.ravel())[0, 1] for p, s in zip(processed[usual], sample[usual])]
    assert np.mean(unchanged) > 0.6 and np.mean(correlation) > 0.98
    network = load_pretrained("3b1b")
    assert accuracy(network, processed, labels[:1000]) >= accuracy(network, sample, labels[:1000]) - 0.01
