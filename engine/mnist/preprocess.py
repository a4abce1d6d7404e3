"""Turning a drawing into an MNIST-like 28x28 image.

A network trained on MNIST has only ever seen digits prepared in one particular way (LeCun et al.):
the digit was scaled so its longer side is 20 pixels, keeping its aspect ratio, with
anti-aliasing (grey edges), and then placed in a 28x28 field so that its intensity centre of
mass sits at the centre, pixel (14, 14) counted from 0. A drawing that skips these steps (a small
digit in a corner, a huge one touching the edges) looks nothing like the training data, and the
network fails on it although a person reads it easily. So every drawing goes through the same
steps here:

1. grey levels in [0, 1], ink = 1 (dark-on-light drawings are detected from the border and flipped);
2. crop to the bounding box of the ink;
3. resample so the longer side is 20 pixels (area averaging when shrinking, linear when growing);
4. place it in a 28x28 field, shifted by whole pixels so the centre of mass lands on (14, 14)
   (within half a pixel; whole pixels keep the 20-pixel box sharp, as in MNIST itself).

Resampling is done with small matrices, one per axis: `out = rows @ image @ cols.T`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "BOX_SIDE",
    "FIELD_SIDE",
    "CENTRE",
    "to_ink",
    "ink_bounding_box",
    "resize_matrix",
    "centre_of_mass",
    "preprocess_drawing",
]

FIELD_SIDE = 28
BOX_SIDE = 20
CENTRE = 14.0
#: A pixel counts as ink above this level (after the background is removed).
INK_LEVEL = 0.1
#: Fewer ink pixels than this fraction of the canvas (and at least 3) means "nothing drawn".
MIN_INK_FRACTION = 0.0005


def to_ink(image: np.ndarray) -> np.ndarray:
    """Grey levels as float64 ink in [0, 1] (1 = ink), whatever the input's polarity and range.

    Accepts (H, W) grey, or (H, W, 3) RGB / (H, W, 4) RGBA, uint8 or float. On a transparent
    sheet the opaque strokes are the ink, whatever their colour. The border's median level is the background: if it is light, the image is inverted;
    then the background level is subtracted and the ink stretched to fill [0, 1].
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


def preprocess_drawing(image: np.ndarray) -> np.ndarray | None:
    """A drawing of any size -> (28, 28) float32 in [0, 1] prepared like MNIST; None if empty.

    "Empty" means fewer ink pixels than MIN_INK_FRACTION of the canvas (at least 3): a stray
    click is not a digit, and the app should say "draw a digit" rather than guess.
    """
    ink = to_ink(image)
    mask_count = int(np.count_nonzero(ink > INK_LEVEL))
    if mask_count < max(3, MIN_INK_FRACTION * ink.size):
        return None
    top, bottom, left, right = ink_bounding_box(ink)
    crop = ink[top:bottom, left:right]

    height, width = crop.shape
    longest = max(height, width)
    new_h = max(1, int(round(height * BOX_SIDE / longest)))
    new_w = max(1, int(round(width * BOX_SIDE / longest)))
    box = resize_matrix(height, new_h) @ crop @ resize_matrix(width, new_w).T
    peak = box.max()
    if peak <= 0:
        return None
    box /= peak

    row_com, col_com = centre_of_mass(box)
    # Whole-pixel shift; clamped so the box never leaves the field, even if its centre of mass is
    # far off-centre (a lopsided drawing).
    top = int(np.clip(np.round(CENTRE - row_com), 0, FIELD_SIDE - new_h))
    left = int(np.clip(np.round(CENTRE - col_com), 0, FIELD_SIDE - new_w))
    field = np.zeros((FIELD_SIDE, FIELD_SIDE), dtype=np.float32)
    field[top:top + new_h, left:left + new_w] = np.clip(box, 0.0, 1.0)
    return field
