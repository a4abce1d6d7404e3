"""Reading a picture file (PNG, JPEG, BMP...) into a NumPy array with Qt's QImageReader.

Used by `python main.py mnist classify` and by the MNIST tab to load a drawing from disk. Qt needs no
window or QApplication to decode a file, so this works headless.

A digit becomes 20 × 20 pixels in the end, so a huge picture is never decoded at full size: the
reader is asked for it scaled down to at most `MAX_SIDE` pixels a side (a blank 8000 × 8000 PNG
took 4 GB of memory as full-size arrays), and one whose header claims more than `MAX_PIXELS` is
refused before any decoding.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader

__all__ = ["ImageFileError", "read_image_rgba", "MAX_SIDE", "MAX_PIXELS"]

#: Longest side a picture is decoded at; larger ones are read scaled down (aspect ratio kept).
MAX_SIDE = 1024
#: Pictures whose header claims more pixels than this (8000 × 8000) are not read at all.
MAX_PIXELS = 64_000_000


class ImageFileError(ValueError):
    """A picture file that cannot be read (message names the file)."""


def read_image_rgba(path: str | Path) -> np.ndarray:
    """The picture at `path` as a (height, width, 4) uint8 RGBA array (a copy), at most `MAX_SIDE`
    pixels a side."""
    path = Path(path)
    if not path.is_file():
        raise ImageFileError(f"{path.name}: no such file" if not path.exists() else f"{path.name}: not a file")
    reader = QImageReader(str(path))
    size = reader.size()                      # from the header, nothing decoded yet
    if size.isValid():
        if size.width() * size.height() > MAX_PIXELS:
            raise ImageFileError(f"{path.name}: {size.width()} × {size.height()} pixels is too large a "
                                 f"picture (at most {MAX_PIXELS / 1e6:.0f} megapixels)")
        if max(size.width(), size.height()) > MAX_SIDE:
            reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise ImageFileError(f"{path.name}: not a picture Qt can read (PNG, JPEG, BMP, ...)")
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
