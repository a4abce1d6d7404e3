"""Pictures for `mnist classify`: huge ones are read scaled down or refused from their header
(issue 16, item 5)."""

from __future__ import annotations

import struct
import time
import zlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from gui.image_file import MAX_SIDE, ImageFileError, read_image_rgba


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(path, width: int, height: int) -> None:
    """A 100-byte PNG whose header claims width × height pixels, with (almost) no image data."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(bytes(10))) + chunk(b"IEND", b""))


def test_a_large_picture_is_decoded_scaled_down_and_still_reads_as_its_digit(tmp_path):
    image = QImage(4000, 3000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("black"), 120, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(2000, 600, 2000, 2400)          # a "1"
    painter.end()
    path = tmp_path / "one.png"
    assert image.save(str(path))
    pixels = read_image_rgba(path)
    assert pixels.shape == (768, MAX_SIDE, 4)        # aspect ratio kept
    from engine.mnist.models import load_pretrained
    from engine.mnist.outputs import classify_drawing
    assert classify_drawing(load_pretrained("3b1b"), pixels)["prediction"] == 1


def test_a_header_claiming_gigapixels_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    png_header_only(path, 100_000, 100_000)
    started = time.monotonic()
    with pytest.raises(ImageFileError, match=r"bomb.png: 100000 × 100000 pixels is too large"):
        read_image_rgba(path)
    assert time.monotonic() - started < 1


def test_a_folder_is_not_a_picture(tmp_path):
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(ImageFileError, match="dir.png: not a file"):
        read_image_rgba(tmp_path / "dir.png")
