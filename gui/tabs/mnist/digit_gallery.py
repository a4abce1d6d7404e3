"""A scrollable gallery of small digit images with captions (true label, answer, confidence)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gui.widgets.wrapping_label import WrappingLabel


def grey_pixmap(image: np.ndarray, scale: int = 2) -> QPixmap:
    """A 28×28 image in [0, 1] as a pixmap (white ink on black), scaled by whole pixels."""
    pixels = np.ascontiguousarray(np.clip(image, 0.0, 1.0) * 255, dtype=np.uint8)
    height, width = pixels.shape
    qimage = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(width * scale, height * scale,
                                            Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.FastTransformation)


class DigitGallery(QWidget):
    """`set_digits(images (n, 28, 28), captions, title)`; shows at most `limit` of them."""

    def __init__(self, limit: int = 120, parent: QWidget | None = None):
        super().__init__(parent)
        self.limit = int(limit)
        self.title = WrappingLabel("Evaluate the model to see its mistakes.", self)
        self.title.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setGridSize(QSize(96, 96))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Digit gallery")
        self.list.setToolTip("Test images with their true label, the network's answer and its confidence")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)

    def count(self) -> int:
        return self.list.count()

    def captions(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_digits(self, images: np.ndarray, captions: list[str], title: str) -> None:
        self.list.clear()
        images = np.asarray(images)
        shown = min(len(images), self.limit)
        extra = f" (first {shown} of {len(images)} shown)" if len(images) > shown else ""
        self.title.setText(title + extra)
        for image, caption in zip(images[:shown], captions[:shown]):
            item = QListWidgetItem(QIcon(grey_pixmap(image.reshape(28, 28))), caption)
            item.setToolTip(caption)
            self.list.addItem(item)
