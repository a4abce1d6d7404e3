"""Reading a picture file (PNG, JPEG, BMP...) into a NumPy array with Qt's QImage.

Used by `python main.py mnist classify` and by the MNIST tab to load a drawing from disk. QImage
needs no window or QApplication to decode a file, so this works headless.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

__all__ = ["ImageFileError", "read_image_rgba"]


class ImageFileError(ValueError):
    """A picture file that cannot be read (message names the file)."""


def read_image_rgba(path: str | Path) -> np.ndarray:
    """The picture at `path` as a (height, width, 4) uint8 RGBA array (a copy)."""
    path = Path(path)
    if not path.is_file():
        raise ImageFileError(f"{path.name}: no such file")
    image = QImage(str(path))
    if image.isNull():
        raise ImageFileError(f"{path.name}: not a picture Qt can read (PNG, JPEG, BMP, ...)")
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
