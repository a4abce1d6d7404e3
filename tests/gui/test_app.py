"""Starting the window (gui/app.py): the screenshot-and-exit run and projector mode from the command line."""

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

import cli
from gui.main_window import TAB_NAMES, MainWindow
from tests.conftest import REPO_ROOT


def test_screenshot_writes_a_png_of_the_window(tmp_path):
    target = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--screenshot", str(target), "--screenshot-delay", "200"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(target))
    assert image.width() >= 800 and image.height() >= 500


def test_projector_flag_opens_the_window_in_projector_mode(qapp, tmp_path, monkeypatch):
    windows, fonts = [], []
    original_grab = MainWindow.grab

    def grab_and_note(self, *args):
        windows.append(self)
        fonts.append(QApplication.font().pointSizeF())
        return original_grab(self, *args)

    monkeypatch.setattr(MainWindow, "grab", grab_and_note)
    normal = QApplication.font().pointSizeF()
    target = tmp_path / "projector.png"
    try:
        assert cli.run(["--projector", "--screenshot", str(target), "--screenshot-delay", "100"]) == 0
        assert windows and windows[0].projector_mode()
        assert fonts[0] == pytest.approx(normal * 1.5)
        assert target.stat().st_size > 0
    finally:
        for window in windows:
            window.set_projector_mode(False)  # the application font is shared with later tests


def test_every_tab_can_be_named_on_the_command_line():
    assert cli.TAB_CHOICES == TAB_NAMES  # the parser keeps its own copy so --help needs no Qt
