"""The download panel against mirrors that never answer: cancel and window close take effect at once
(issue 16, item 1)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings

import gui.main_window as main_window
from engine.atomic_write import is_temporary
from engine.mnist import mnist_files_present
from gui.main_window import MainWindow
from gui.tabs.mnist.tab import MnistInspectorTab
from gui.worker import live_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize("mode", ["silent", "unaccepted", "stall"])
def test_closing_the_window_during_a_hanging_download_takes_under_two_seconds(
        qtbot, tmp_path, faulty_mirror, monkeypatch, mode):
    target = tmp_path / "mnist"
    monkeypatch.setitem(main_window.TAB_BUILDERS, "mnist", lambda seed, _dir: MnistInspectorTab(
        seed=seed, search_data=False, download_dir=target, mirrors=[faulty_mirror.url(mode)]))
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        initial_tab="mnist")
    qtbot.addWidget(window)
    window.show()
    panel = window.tab_widgets["mnist"].data_panel
    panel.download_button.click()
    if mode != "unaccepted":
        qtbot.waitUntil(faulty_mirror.requests.is_set, timeout=5000)
    assert live_jobs()                                 # the download is waiting on the network
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 2.0
    assert live_jobs() == []                           # no thread left to abort the process at exit
    assert not target.exists() or not any(target.iterdir())


def test_cancel_then_download_again_from_a_good_mirror_completes(qtbot, tmp_path, faulty_mirror, serve,
                                                                 mnist_dir, open_tab):
    target = tmp_path / "mnist"
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False, download_dir=target,
                                     mirrors=[faulty_mirror.url("stall")]))
    panel = tab.data_panel
    panel.download_button.click()
    qtbot.waitUntil(faulty_mirror.requests.is_set, timeout=5000)
    old = panel.jobs.current
    started = time.monotonic()
    with qtbot.waitSignal(old.done, timeout=2000):      # the stalled job really ends, and soon
        panel.cancel_button.click()
    assert time.monotonic() - started < 1.5
    assert "cancelled" in panel.status.text() and list(target.iterdir()) == []
    panel.mirrors = [serve(mnist_dir)]
    panel.download_button.click()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=60000)
    assert mnist_files_present(target) and not any(is_temporary(p) for p in target.iterdir())
