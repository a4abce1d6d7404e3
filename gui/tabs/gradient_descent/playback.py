"""Playback of finished runs: rewind, step, play/pause and speed, driven by a QTimer.

The runs are computed in one go elsewhere; this widget only moves a position (the update index)
through them, so playing never blocks and any position can be shown at once.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout

from gui.accessibility import announce
from gui.plotting import Throttle
from gui.widgets.controls import described, relabel
from gui.widgets.labelled_slider import LabelledSlider
from gui.widgets.wrapping_label import WrappingLabel

TICK_HZ = 30  # position updates per second while playing
TEXT_HZ = 4   # the readout: readable, not flickering


class DescentPlayback(QGroupBox):
    frameChanged = Signal(int)

    def __init__(self, describe: Callable[[int], str] = str, parent=None):
        super().__init__("Playback", parent)
        self._describe = describe
        self.frame = 0
        self.last = 0
        self._position = 0.0  # fractional frame: slow speeds advance less than one update a tick

        self.rewind_button = described(QPushButton("Rewind"), "Rewind", "Back to the starting point")
        self.step_button = described(QPushButton("Step"), "Step", "Advance every run by one update")
        # not checkable: a remembered "playing" would autostart
        self.play_button = described(QPushButton("Play"), "Play",
                                     "Animate the runs update by update (press again to pause)")
        self.speed = LabelledSlider("speed", 1, 5000, 30, log=True, decimals=4, unit="updates per second",
                                    tooltip="Updates shown per second while playing")
        self.position_label = WrappingLabel(caption="Playback position",
                                            tip="Which update is shown, and the epoch it belongs to")

        buttons = QHBoxLayout()
        for button in (self.rewind_button, self.step_button, self.play_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.speed)
        layout.addWidget(self.position_label)

        self._timer = QTimer(self)
        self._timer.setInterval(round(1000 / TICK_HZ))
        self._timer.timeout.connect(self._tick)
        self._text = Throttle(self._write_position, hz=TEXT_HZ, parent=self)
        self.rewind_button.clicked.connect(self.rewind)
        self.step_button.clicked.connect(self.step)
        self.play_button.clicked.connect(self.toggle)

    # ------------------------------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def set_length(self, last: int) -> None:
        """New runs with `last` updates: show the outcome at once, or restart if playing."""
        self.last = max(int(last), 0)
        self.go_to(0 if self.is_playing() else self.last)

    def go_to(self, frame: int) -> None:
        self.frame = int(min(max(frame, 0), self.last))
        self._position = float(self.frame)
        self._text.flush()
        self.frameChanged.emit(self.frame)

    def show_busy(self, text: str) -> None:
        self.position_label.setText(text)

    @Slot()
    def toggle(self) -> None:
        """Play from here (from the start if at the end), or pause."""
        if self.is_playing():
            self.stop()
            return
        if self.frame >= self.last:
            self.go_to(0)
        self._timer.start()
        relabel(self.play_button, "Pause")

    def stop(self) -> None:
        self._timer.stop()
        relabel(self.play_button, "Play")
        self._text.flush()

    @Slot()
    def rewind(self) -> None:
        self.stop()
        self.go_to(0)

    @Slot()
    def step(self) -> None:
        """One update forward (from the end, start over from the first update)."""
        self.stop()
        self.go_to(1 if self.frame >= self.last else self.frame + 1)

    # ------------------------------------------------------------------------------------------
    @Slot()
    def _tick(self) -> None:
        self._position += self.speed.value() / TICK_HZ
        target = int(self._position)
        if target >= self.last:
            self.go_to(self.last)
            self.stop()
            announce(self, f"Playback finished: {self._describe(self.frame)}")
        elif target != self.frame:
            self.frame = target
            self._text.request()
            self.frameChanged.emit(self.frame)

    def _write_position(self) -> None:
        self.position_label.setText(self._describe(self.frame))
