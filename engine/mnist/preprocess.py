"""Turning a drawing into an MNIST-like 28x28 image.

A network trained on MNIST has only ever seen digits prepared in one particular way (LeCun et al.):
the digit was scaled so its longer side is 20 pixels, keeping its aspect ratio, with
anti-aliasing (grey edges), and then placed in a 28x28 field so that its intensity centre of
mass sits at the centre, pixel (14, 14) counted from 0. A drawing that skips these steps (a small
digit in a corner, a huge one touching the edges) looks nothing like the training data, and the
network fails on it although a person reads it easily.

Scaling alone is not enough: it scales the pen too. A digit drawn 40 px tall with a 22-px pen
becomes a blob with strokes 8 px wide once it fills the 20-px box, and is read as an 8; a large
digit drawn with a thin pen becomes a faint hairline. MNIST's strokes are about `STROKE_WIDTH`
pixels wide whatever the digit, so the pen is redrawn at that width:

* the drawing canvas hands over its strokes as point lists (`preprocess_strokes`): they are scaled
  into the 20-px box and drawn there with MNIST's pen, whatever pen and size the user drew with;
* a picture (`preprocess_drawing`, used by ``mnist classify``) has only pixels. Its stroke width
  is estimated (`stroke_width`); if it lies within MNIST's usual range the picture is simply
  scaled, otherwise it is thinned to its centre line (`thin`) and redrawn the same way.

Either way the 20-px box is then placed in the 28x28 field by whole pixels, so that its centre of
mass lands on (14, 14) (within half a pixel; whole pixels keep the box sharp, as in MNIST itself).
`raw_drawing` skips all of it, to show what the steps are for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "BOX_SIDE",
    "FIELD_SIDE",
    "CENTRE",
    "STROKE_WIDTH",
    "MNIST_WIDTH_RANGE",
    "to_ink",
    "ink_bounding_box",
    "resize_matrix",
    "centre_of_mass",
    "stroke_width",
    "thin",
    "render_centre_lines",
    "preprocess_drawing",
    "preprocess_strokes",
    "raw_drawing",
]

FIELD_SIDE = 28
BOX_SIDE = 20
CENTRE = 14.0
#: A pixel counts as ink above this level (after the background is removed).
INK_LEVEL = 0.1
#: Fewer ink pixels than this fraction of the canvas (and at least 3) means "nothing drawn".
MIN_INK_FRACTION = 0.0005
#: Strokes spanning less than this fraction of the canvas are a click, not a digit.
MIN_STROKE_FRACTION = 0.02

#: MNIST's stroke width in pixels of the 28x28 field, as `stroke_width` measures it: the median over
#: the 60,000 training digits is 2.36 (quartiles 2.01 and 2.78). Measured by
#: ``np.median(stroke_width(train_images.reshape(-1, 28, 28)))``; a test repeats the measurement.
STROKE_WIDTH = 2.36
#: Pictures whose strokes, scaled into the 20-px box, are this wide are left as they are: the 10th
#: and 90th percentiles of the same measurement.
MNIST_WIDTH_RANGE = (1.75, 3.25)
#: Sub-pixels per pixel (each way) when redrawing strokes: coverage of a 4x4 grid is the grey level.
SUPERSAMPLE = 4
#: Pictures are thinned on a grid this many times finer than the 20-px box.
THINNING_SCALE = 3


def to_ink(image: np.ndarray) -> np.ndarray:
    """Grey levels as float64 ink in [0, 1] (1 = ink), whatever the input's polarity and range.

    Accepts (H, W) grey, or (H, W, 3) RGB / (H, W, 4) RGBA, uint8 or float. On a transparent
    sheet the opaque strokes are the ink, whatever their colour. The border's median level is the
    background: if it is light, the image is inverted; then the background level is subtracted and
    the ink stretched to fill [0, 1].
    """
    array = np.asarray(image)
    if array.dtype == bool:
        array = array.astype(np.float64)
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"a drawing must hold numbers, not {array.dtype}")
    grey = array.astype(np.float64)
    if grey.ndim == 3 and grey.shape[2] in (3, 4):
        if np.issubdtype(array.dtype, np.integer):
            grey = grey / 255.0
        colour = grey[..., :3] @ np.array([0.299, 0.587, 0.114])  # luminance
        if grey.shape[2] == 4:
            alpha = grey[..., 3]
            border_alpha = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
            if np.median(border_alpha) < 0.5:
                colour = alpha  # strokes on a transparent sheet: the opaque part is the ink
            else:
                colour = alpha * colour + (1.0 - alpha)  # opaque picture: compose on white
        grey = colour
    elif grey.ndim != 2:
        raise ValueError(f"a drawing must be a 2-D grey image, got shape {array.shape}")
    elif np.issubdtype(array.dtype, np.integer):
        grey = grey / 255.0
    if grey.size == 0:
        raise ValueError("the drawing is empty (0 pixels)")
    if not np.all(np.isfinite(grey)):
        raise ValueError("the drawing contains NaN or infinite values")
    if grey.max() > 1.0 + 1e-6:
        grey = grey / 255.0  # float image on the 0..255 scale
    grey = np.clip(grey, 0.0, 1.0)

    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(border))
    if background > 0.5:
        grey = 1.0 - grey
        background = 1.0 - background
    span = 1.0 - background
    if span < 1e-6:
        return np.zeros_like(grey)
    return np.clip((grey - background) / span, 0.0, 1.0)


def ink_bounding_box(ink: np.ndarray, level: float = INK_LEVEL) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the pixels above `level`, bottom/right exclusive; None if none."""
    mask = ink > level
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix resampling a line of n_in pixels to n_out pixels.

    Shrinking: each output pixel is the average of the input it covers (weights = overlap), which
    is the anti-aliasing. Growing: linear interpolation between input pixel centres.
    """
    scale = n_out / n_in
    matrix = np.zeros((n_out, n_in))
    if scale <= 1.0:
        for o in range(n_out):
            start, stop = o / scale, (o + 1) / scale
            first, last = int(np.floor(start)), min(int(np.ceil(stop)), n_in)
            for i in range(first, last):
                matrix[o, i] = min(stop, i + 1) - max(start, i)
        matrix /= matrix.sum(axis=1, keepdims=True)
    else:
        centres = (np.arange(n_out) + 0.5) / scale - 0.5
        centres = np.clip(centres, 0.0, n_in - 1)
        low = np.floor(centres).astype(int)
        high = np.minimum(low + 1, n_in - 1)
        frac = centres - low
        matrix[np.arange(n_out), low] += 1.0 - frac
        matrix[np.arange(n_out), high] += frac
    return matrix


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity centre of mass, 0-based pixel coordinates."""
    total = image.sum()
    if total <= 0:
        return (np.nan, np.nan)
    rows = np.arange(image.shape[0]) @ image.sum(axis=1) / total
    cols = np.arange(image.shape[1]) @ image.sum(axis=0) / total
    return float(rows), float(cols)


# --- the pen's width ------------------------------------------------------------------------------
def stroke_width(ink: np.ndarray) -> np.ndarray | float:
    """Average stroke width in pixels of grey ink (H, W), or of a stack (N, H, W) at once.

    A stroke of width w and length L holds ink w·L and has edges 2·L long, so w = 2·ink / edge
    length. The edge length is the total variation Σ|∇ink| (forward differences): an anti-aliased
    edge from 0 to 1 adds 1 per pixel of its length, whatever its sharpness. Round ends and
    crossings make it a little off, the same way for every digit. Below about 1.5 pixels the
    pixels cannot resolve the stroke and the estimate stays near 1.3. Empty images give 0.
    """
    ink = np.asarray(ink, dtype=np.float64)
    pad = [(0, 0)] * (ink.ndim - 2) + [(1, 1), (1, 1)]
    padded = np.pad(ink, pad)
    across = np.diff(padded, axis=-1)[..., :-1, :]
    down = np.diff(padded, axis=-2)[..., :, :-1]
    edges = np.hypot(across, down).sum(axis=(-2, -1))
    width = 2.0 * ink.sum(axis=(-2, -1)) / np.maximum(edges, 1e-12)
    return float(width) if ink.ndim == 2 else width


def thin(mask: np.ndarray) -> np.ndarray:
    """The centre line of a binary shape (H, W), one pixel wide and still connected (Zhang–Suen).

    Border pixels are peeled off in two alternating passes (from the south-east, then from the
    north-west) as long as removing them neither cuts the shape nor shortens a line's end.
    """
    grid = np.pad(np.asarray(mask, dtype=bool), 1).astype(np.uint8)
    while True:
        changed = False
        for first_pass in (True, False):
            # the 8 neighbours P2..P9, clockwise from north
            n = [grid[:-2, 1:-1], grid[:-2, 2:], grid[1:-1, 2:], grid[2:, 2:],
                 grid[2:, 1:-1], grid[2:, :-2], grid[1:-1, :-2], grid[:-2, :-2]]
            count = sum(n, np.zeros_like(n[0]))
            rises = sum(((n[i] == 0) & (n[(i + 1) % 8] == 1)).astype(np.uint8) for i in range(8))
            north, east, south, west = n[0], n[2], n[4], n[6]
            if first_pass:
                side = (north & east & south == 0) & (east & south & west == 0)
            else:
                side = (north & east & west == 0) & (north & south & west == 0)
            peel = (grid[1:-1, 1:-1] == 1) & (count >= 2) & (count <= 6) & (rises == 1) & side
            if peel.any():
                grid[1:-1, 1:-1][peel] = 0
                changed = True
        if not changed:
            return grid[1:-1, 1:-1].astype(bool)


def render_centre_lines(segments: np.ndarray, width: float = STROKE_WIDTH) -> np.ndarray:
    """Draw line segments (S, 2, 2), each two (x, y) points in any unit, into the 20-px box.

    The segments are scaled together so that the drawing, pen included, is BOX_SIDE pixels along
    its longer side; the pen is `width` pixels wide with round ends. Each pixel's grey level is the
    share of its SUPERSAMPLE² sub-pixels within width/2 of a segment: a solid pen, anti-aliased.
    A segment whose two ends coincide is a dot. Returns (height, width) float64 in [0, 1].
    """
    segments = np.asarray(segments, dtype=np.float64).reshape(-1, 2, 2)
    points = segments.reshape(-1, 2)
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    scale = (BOX_SIDE - width) / max(float(span.max()), 1e-9)
    start = (segments[:, 0] - low) * scale + width / 2
    end = (segments[:, 1] - low) * scale + width / 2
    cols, rows = np.maximum(1, np.ceil(span * scale + width - 1e-9).astype(int))
    k = SUPERSAMPLE
    inked = np.zeros((rows * k, cols * k), dtype=bool)
    reach = width / 2
    for a, b in zip(start, end):
        # only the sub-pixels near this segment can be inked by it
        (x0, y0), (x1, y1) = np.minimum(a, b) - reach, np.maximum(a, b) + reach
        c0, c1 = max(0, int(x0 * k)), min(cols * k, int(np.ceil(x1 * k)))
        r0, r1 = max(0, int(y0 * k)), min(rows * k, int(np.ceil(y1 * k)))
        xs = (np.arange(c0, c1) + 0.5) / k - a[0]
        ys = (np.arange(r0, r1) + 0.5) / k - a[1]
        along = b - a
        t = (xs[None, :] * along[0] + ys[:, None] * along[1]) / max(float(along @ along), 1e-12)
        t = np.clip(t, 0.0, 1.0)
        gap2 = (xs[None, :] - t * along[0]) ** 2 + (ys[:, None] - t * along[1]) ** 2
        inked[r0:r1, c0:c1] |= gap2 <= reach ** 2
    return inked.reshape(rows, k, cols, k).mean(axis=(1, 3))


def _segments(strokes: Sequence[np.ndarray], spacing: float) -> np.ndarray:
    """Consecutive points of each stroke as segments (S, 2, 2), leaving out points closer than
    `spacing` to the last one kept (a mouse reports hundreds; the drawing needs a few dozen)."""
    segments = []
    for stroke in strokes:
        kept = [stroke[0]]
        for point in stroke[1:-1]:
            if np.hypot(*(point - kept[-1])) >= spacing:
                kept.append(point)
        if len(stroke) > 1:
            kept.append(stroke[-1])
        if len(kept) == 1:
            segments.append((kept[0], kept[0]))
        segments.extend(zip(kept[:-1], kept[1:]))
    return np.array(segments, dtype=np.float64).reshape(-1, 2, 2)


def _place_in_field(box: np.ndarray) -> np.ndarray | None:
    """The box (h, w ≤ 20) with its peak stretched to 1, placed in 28x28 by whole pixels so its
    centre of mass is at (14, 14); clamped so the box never leaves the field."""
    peak = box.max()
    if peak <= 0:
        return None
    box = np.clip(box / peak, 0.0, 1.0)
    height, width = box.shape
    row_com, col_com = centre_of_mass(box)
    top = int(np.clip(np.round(CENTRE - row_com), 0, FIELD_SIDE - height))
    left = int(np.clip(np.round(CENTRE - col_com), 0, FIELD_SIDE - width))
    field = np.zeros((FIELD_SIDE, FIELD_SIDE), dtype=np.float32)
    field[top:top + height, left:left + width] = box
    return field


# --- the three ways in ----------------------------------------------------------------------------
def preprocess_strokes(strokes: Sequence, canvas_side: float) -> np.ndarray | None:
    """Pen strokes on a canvas -> (28, 28) float32 prepared like MNIST; None if nothing was drawn.

    `strokes` is a list of point lists [(x, y), ...] in canvas pixels, as the pen went. The
    result does not depend on the pen the user saw, nor on where and how large the digit was
    drawn: only the strokes' shape matters, redrawn at MNIST's width. Strokes spanning less than
    MIN_STROKE_FRACTION of `canvas_side` are a click, not a digit.
    """
    paths = [np.asarray(stroke, dtype=np.float64).reshape(-1, 2) for stroke in strokes]
    paths = [path for path in paths if path.shape[0] > 0]
    if not paths:
        return None
    points = np.concatenate(paths)
    if not np.all(np.isfinite(points)):
        raise ValueError("the strokes contain NaN or infinite coordinates")
    extent = float(np.ptp(points, axis=0).max())
    if extent < MIN_STROKE_FRACTION * canvas_side:
        return None
    # points closer than a box pixel add nothing the pen would show: chords of a pixel follow any
    # curve a digit has to within a few hundredths of a pixel
    spacing = extent / (BOX_SIDE - STROKE_WIDTH)
    return _place_in_field(render_centre_lines(_segments(paths, spacing)))


def preprocess_drawing(image: np.ndarray) -> np.ndarray | None:
    """A picture of any size -> (28, 28) float32 in [0, 1] prepared like MNIST; None if empty.

    "Empty" means fewer ink pixels than MIN_INK_FRACTION of the picture (at least 3): a stray
    click is not a digit, and the app should say "draw a digit" rather than guess. A picture whose
    strokes would be too thin or too thick in the 20-px box (outside MNIST_WIDTH_RANGE) is thinned
    to its centre line and redrawn at STROKE_WIDTH; any other is scaled as it is.
    """
    ink = to_ink(image)
    mask_count = int(np.count_nonzero(ink > INK_LEVEL))
    if mask_count < max(3, MIN_INK_FRACTION * ink.size):
        return None
    top, bottom, left, right = ink_bounding_box(ink)
    crop = ink[top:bottom, left:right]
    crop = crop / crop.max()   # how dark the pen was does not matter, only where it went
    height, width = crop.shape
    longest = max(height, width)
    boxed_width = stroke_width(crop) * BOX_SIDE / longest
    low, high = MNIST_WIDTH_RANGE
    if not low <= boxed_width <= high:
        redrawn = _redraw(crop, boxed_width)
        if redrawn is not None:
            return redrawn
    new_h = max(1, int(round(height * BOX_SIDE / longest)))
    new_w = max(1, int(round(width * BOX_SIDE / longest)))
    return _place_in_field(resize_matrix(height, new_h) @ crop @ resize_matrix(width, new_w).T)


def _redraw(crop: np.ndarray, boxed_width: float) -> np.ndarray | None:
    """The cropped ink thinned to its centre line and redrawn with MNIST's pen (None: no line)."""
    side = THINNING_SCALE * BOX_SIDE
    height, width = crop.shape
    scale = side / max(height, width)
    rows, cols = max(1, round(height * scale)), max(1, round(width * scale))
    grid = resize_matrix(height, rows) @ crop @ resize_matrix(width, cols).T
    # a hairline averaged over coarser pixels gets paler: lower the threshold with it. Pixels
    # exactly at the threshold (common in resampled black-and-white pictures) count as ink, even
    # after rounding errors, so either polarity of a picture gives the same line.
    level = 0.5 * min(1.0, boxed_width * THINNING_SCALE) - 1e-9
    ys, xs = np.nonzero(thin(grid >= level))
    if xs.size == 0:
        return None
    dots = np.stack([xs, ys], axis=1).astype(np.float64)
    return _place_in_field(render_centre_lines(np.stack([dots, dots], axis=1)))


def raw_drawing(image: np.ndarray) -> np.ndarray | None:
    """The whole picture shrunk to 28x28 as it is: no cropping, scaling or centring (None if empty).

    What the network would see without the MNIST preparation: a digit drawn small or off-centre
    stays small or off-centre, where the network has never seen ink.
    """
    ink = to_ink(image)
    if int(np.count_nonzero(ink > INK_LEVEL)) < max(3, MIN_INK_FRACTION * ink.size):
        return None
    height, width = ink.shape
    field = resize_matrix(height, FIELD_SIDE) @ ink @ resize_matrix(width, FIELD_SIDE).T
    return np.clip(field, 0.0, 1.0).astype(np.float32)
