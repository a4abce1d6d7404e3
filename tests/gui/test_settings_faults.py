"""A damaged settings file never stops the window: each unusable value is its default, and the status
bar says settings were reset (issue 16, item 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from gui.control_state import read_value, remembered_controls, value_kind
from gui.main_window import TAB_NAMES, MainWindow
from gui.worker import stop_all_jobs
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

RESET = "reset to their defaults"

# Hand-made damage, as an editor, a crash or another version leaves it: (INI text, tab it opens on).
HAND_MADE = [
    ("[window]\ngeometry=hello\n", None),
    ("[window]\ngeometry=@ByteArray(not a geometry at all)\ntab=nowhere\nlesson_collapsed=maybe\n", None),
    ("[view]\nprojector=2\n[window]\ntab=mnist\n[controls]\nmnist\\Epochs=1e308\n", "mnist"),
    ("[window]\ntab=mnist\n[controls]\nmnist\\Epochs=nan\nmnist\\Training%20images=-5\n"
     "mnist\\Preset=gpt\nmnist\\Not%20a%20digit=yes\n", "mnist"),
    ("[mnist]\nfolder=a, b\n[window]\ntab=mnist\n", "mnist"),
    ("[window]\ntab=mnist\n[controls]\nmnist\\_tab_state=\"{\\\"data_folder\\\": [1, 2]}\"\n", "mnist"),
    ("[window]\ntab=derivatives\n[controls]\nderivatives\\_tab_state=" + "[" * 5000 + "]" * 5000 + "\n",
     "derivatives"),
    ("[window]\ntab=derivatives\n[controls]\nderivatives\\_tab_state=\"{\\\"function\\\": \\\""
     + "x+" * 3000 + "x\\\"}\"\n", "derivatives"),
    ("[window]\ntab=derivatives\n[controls]\nderivatives\\Point%20x0=99999999999999999999999999\n"
     "derivatives\\%U03B4=12abc\nderivatives\\Network=@Variant(\\0\\0\\0\\t\\0\\0\\0\\0)\n", "derivatives"),
    ("[window]\ntab=gradient-descent\n[controls]\ngradient-descent\\_tab_state=\"{\\\"learning_rates\\\": "
     "[1e400, \\\"x\\\", null], \\\"selected_rate\\\": 99}\"\ngradient-descent\\Epochs=1e308\n", "gradient-descent"),
    ("[window]\ntab=random-search\n[controls]\nrandom-search\\Iterations=10000000000000\n"
     "random-search\\Classes=, , ,\nrandom-search\\Noise=inf\n", "random-search"),
    ("\x00\xff\xfe garbage \x01[[[ not an ini file at all ]]]\n", None),
]


def start_window(qtbot, path) -> MainWindow:
    window = MainWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


def controls_are_sane(window: MainWindow) -> None:
    """Every remembered control of every built tab holds a value its own kind accepts."""
    for state in window.control_states.values():
        for widget in remembered_controls(state.root).values():
            value_kind(widget)(read_value(widget))


@pytest.mark.parametrize("text, tab", HAND_MADE)
def test_a_hand_damaged_settings_file_starts_the_window_with_defaults(qtbot, tmp_path, text, tab):
    path = tmp_path / "settings.ini"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    window = start_window(qtbot, path)
    assert window.current_tab_name() == (tab or "derivatives")
    controls_are_sane(window)
    if "garbage" not in text:
        assert RESET in window.statusBar().currentMessage()
    window.close()
    assert stop_all_jobs()


def test_a_settings_value_nested_deep_enough_to_crash_qt_is_dropped_first(tmp_path):
    """Qt's own decoder overflows the stack on this (a segfault, not an exception): run it apart."""
    path = tmp_path / "settings.ini"
    bomb = "\\0\\0\\0\\t\\0\\0\\0\\x1" * 50_000
    path.write_text(f"[window]\ntab=derivatives\n[controls]\nderivatives\\Point%20x0=@Variant({bomb})\n")
    script = ("import sys; from PySide6.QtWidgets import QApplication; from PySide6.QtCore import QSettings;"
              "app = QApplication([]); from gui.main_window import MainWindow;"
              f"w = MainWindow(settings=QSettings({str(path)!r}, QSettings.Format.IniFormat));"
              "print(w.statusBar().currentMessage()); w.close()")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-500:]
    assert RESET in done.stdout and "Point" in done.stdout


def test_the_folder_chosen_in_an_earlier_version_is_still_used(qtbot, tmp_path, mnist_dir, monkeypatch):
    monkeypatch.delenv("DESCENT_LAB_MNIST_DIR", raising=False)
    path = tmp_path / "settings.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("mnist/folder", str(mnist_dir))         # where versions before the tab contract kept it
    old.setValue("window/tab", "mnist")
    old.sync()
    window = start_window(qtbot, path)
    panel = window.tab_widgets["mnist"].data_panel
    assert panel.remembered_folder == str(mnist_dir)
    assert f"found in {mnist_dir}" in panel.status.text()
    assert RESET not in window.statusBar().currentMessage()
    window.close()
    assert stop_all_jobs()


# --- random damage ------------------------------------------------------------------------------
NASTY = ["", " ", "true", "false", "nan", "-inf", "1e308", "-1e308", "1e-320", "-0", "0x10", "12abc",
         "99999999999999999999999", "-1", "3.5", "a, b", ", , ,", "\\0", "é" * 300, "x" * 5000, "[1, 2]",
         '{"a": 1}', "null", "[" * 3000, "{}", '{"data_folder": 7}', '{"learning_rates": [1e999]}',
         '{"function": 5}', '{"learning_rates": []}', "@ByteArray(xyz)", "@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x1)",
         "@Variant(garbage)", "@Invalid()", "@Variant(" + "\\0\\0\\0\\t\\0\\0\\0\\x1" * 20 + ")"]


def random_settings(path, rng: np.random.Generator, keys: list[str]) -> None:
    lines_by_section: dict[str, list[str]] = {}
    for key in rng.choice(keys, size=int(rng.integers(1, 12))):
        section, _, rest = str(key).partition("/")
        value = NASTY[int(rng.integers(len(NASTY)))] if rng.random() < 0.8 else str(rng.normal() * 10 ** rng.integers(0, 12))
        lines_by_section.setdefault(section, []).append(f"{rest.replace('/', chr(92))}={value}")
    text = "".join(f"[{section}]\n" + "\n".join(lines) + "\n" for section, lines in lines_by_section.items())
    path.write_text(text, encoding="utf-8")


# Qt's own complaint while decoding "@Variant(garbage)"; the value is then refused like any other.
@pytest.mark.qt_log_ignore("Trying to construct an instance of an invalid type")
def test_hundreds_of_random_settings_files_never_stop_the_window(qtbot, tmp_path):
    """200 random files, each read by the window's own restore path with all four tabs built: the
    tabs are built once (building them 200 times would take minutes), the reading is the same."""
    window = start_window(qtbot, tmp_path / "first.ini")
    for name in TAB_NAMES:
        window.tab_widgets[name]
    keys = ["window/geometry", "window/tab", "window/lesson_collapsed", "view/projector", "export/folder",
            "mnist/folder"]
    for name, state in window.control_states.items():
        keys += [f"controls/{name}/{key}".replace(" ", "%20") for key in remembered_controls(state.root)]
        keys.append(f"controls/{name}/_tab_state")
    rng = np.random.default_rng(16)
    started = time.monotonic()
    for i in range(200):
        path = tmp_path / f"random-{i}.ini"
        random_settings(path, rng, keys)
        window.settings = QSettings(str(path), QSettings.Format.IniFormat)
        window._restore_settings(None)
        for state in window.control_states.values():
            state.restore(window.settings)
        controls_are_sane(window)
    assert time.monotonic() - started < 60
    window.close()
    assert stop_all_jobs()
