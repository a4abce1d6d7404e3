"""The learning rates being compared: a coloured list, add/remove, and a slider for the selected one.

Each rate is one run, drawn in the colour shown beside it. The slider edits the selected rate in
place, so dragging it re-runs that run live while the others stay as references.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from gui.plotting import shape_icon
from gui.style import show_as_error
from gui.tabs.gradient_descent.rate_slider import DescentRateSlider
from gui.widgets.controls import described
from gui.widgets.readout import Readout

MAX_RATE = 10.0


class DescentRatePanel(QGroupBox):
    ratesChanged = Signal()         # a rate was added, removed or edited
    selectionChanged = Signal(int)  # the selected row (the run whose −∇L arrow is drawn)

    def __init__(self, colours: list[str], rates=(), slider_range=(1e-4, 2.0), parent=None):
        super().__init__("Learning rates (η)", parent)
        self.colours = list(colours)
        self.rate_list = described(QListWidget(), "Learning rates", "One run per learning rate, all from the same "
                                   "start. The slider below changes the selected one.")
        self.rate_list.setMaximumHeight(120)
        self.rate_edit = described(QLineEdit(), "New learning rate", "A learning rate to add (a positive number)")
        self.rate_edit.setPlaceholderText("e.g. 0.3")
        self.add_button = described(QPushButton("Add"), "Add learning rate", "Add a run with this learning rate")
        self.remove_button = described(QPushButton("Remove"), "Remove learning rate", "Remove the selected run")
        self.slider = DescentRateSlider(*slider_range, value=rates[-1] if rates else 0.1)
        self.message = Readout("Learning-rate message", "Why a typed learning rate was not added")
        self.message.setWordWrap(True)
        show_as_error(self.message)

        add_row = QHBoxLayout()
        for widget in (self.rate_edit, self.add_button, self.remove_button):
            add_row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rate_list)
        layout.addLayout(add_row)
        layout.addWidget(self.slider)
        layout.addWidget(self.message)

        for rate in rates:
            self._append(rate)
        self.rate_list.setCurrentRow(self.rate_list.count() - 1)
        self.rate_list.currentRowChanged.connect(self._on_selected)
        self.slider.valueChanged.connect(self._on_slider)
        self.add_button.clicked.connect(self.add_from_text)
        self.rate_edit.returnPressed.connect(self.add_from_text)
        self.remove_button.clicked.connect(self.remove_selected)

    # ------------------------------------------------------------------------------------------
    def rates(self) -> list[float]:
        return [self.rate_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.rate_list.count())]

    def selected_row(self) -> int:
        return max(self.rate_list.currentRow(), 0)

    def set_rates(self, rates, selected: int | None = None) -> bool:
        """Replace the runs' rates (e.g. remembered ones); unusable values are dropped.

        Returns False and changes nothing when no usable rate is left.
        """
        usable = []
        for rate in rates:
            try:
                rate = float(rate)
            except (TypeError, ValueError):
                continue
            if math.isfinite(rate) and 0 < rate <= MAX_RATE:
                usable.append(rate)
        usable = usable[:len(self.colours)]
        if not usable:
            return False
        self.rate_list.blockSignals(True)
        self.rate_list.clear()
        for rate in usable:
            self._append(rate)
        self.rate_list.blockSignals(False)
        row = selected if isinstance(selected, int) and 0 <= selected < len(usable) else len(usable) - 1
        self.rate_list.setCurrentRow(row)
        self._on_selected(row)  # the slider shows the selected rate even when the row did not change
        self.ratesChanged.emit()
        return True

    def set_limits(self, stability_limit: float, fastest: float, eigenvalues=None) -> None:
        self.slider.set_limits(stability_limit, fastest, eigenvalues)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        if text:
            self.message.announce(urgent=True)

    # ------------------------------------------------------------------------------------------
    @Slot()
    def add_from_text(self) -> None:
        """Add the typed rate, or say plainly why it cannot be used (nothing else changes)."""
        text = self.rate_edit.text().strip()
        try:
            rate = float(text)
        except ValueError:
            self.show_message(f"“{text}” is not a number; type a learning rate such as 0.3.")
            return
        if not (math.isfinite(rate) and 0 < rate <= MAX_RATE):
            self.show_message(f"A learning rate must be a positive number up to {MAX_RATE:g}, not {text}.")
            return
        if self.rate_list.count() >= len(self.colours):
            self.show_message(f"At most {len(self.colours)} runs at once; remove one first.")
            return
        self.show_message("")
        self.rate_edit.clear()
        self._append(rate)
        self.rate_list.setCurrentRow(self.rate_list.count() - 1)
        self.ratesChanged.emit()

    @Slot()
    def remove_selected(self) -> None:
        row = self.rate_list.currentRow()
        if self.rate_list.count() <= 1 or row < 0:
            return
        self.rate_list.takeItem(row)
        self._refresh()
        self.ratesChanged.emit()

    # ------------------------------------------------------------------------------------------
    def _append(self, rate: float) -> None:
        item = QListWidgetItem()
        self.rate_list.addItem(item)
        self._set_rate(item, rate)
        self._refresh()

    @staticmethod
    def _set_rate(item: QListWidgetItem, rate: float) -> None:
        item.setData(Qt.ItemDataRole.UserRole, float(rate))
        item.setText(f"η = {rate:.4g}")

    def _refresh(self) -> None:
        """Each rate shows its run's shape in its run's colour (list order); buttons follow the count."""
        for i in range(self.rate_list.count()):
            self.rate_list.item(i).setIcon(shape_icon(i, self.colours[i % len(self.colours)]))
        self.add_button.setEnabled(self.rate_list.count() < len(self.colours))
        self.remove_button.setEnabled(self.rate_list.count() > 1)

    @Slot(int)
    def _on_selected(self, row: int) -> None:
        if row < 0:
            return
        self.slider.slider.blockSignals(True)  # showing a rate is not changing it
        self.slider.setValue(self.rate_list.item(row).data(Qt.ItemDataRole.UserRole))
        self.slider.slider.blockSignals(False)
        self.selectionChanged.emit(row)

    @Slot(float)
    def _on_slider(self, rate: float) -> None:
        item = self.rate_list.currentItem()
        if item is None:
            return
        self._set_rate(item, rate)
        self.ratesChanged.emit()
