"""The main window: its four tabs, menus, and a clean close while work is running."""

import threading
import time

import gui.worker
from gui.main_window import MainWindow, TAB_NAMES
from gui.worker import BackgroundJob, live_jobs


def test_window_has_the_four_lesson_tabs_in_order(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Derivatives", "Random Search", "Gradient Descent", "MNIST Inspector"]
    assert window.windowTitle() == "Descent Lab"
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus[0] == "File" and "Help" in menus


def test_select_tab_by_command_line_name(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    for index, name in enumerate(TAB_NAMES):
        window.select_tab(name)
        assert window.tabs.currentIndex() == index


def test_closing_the_window_mid_job_stops_the_thread(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    def endless():
        while True:
            time.sleep(0.001)
            yield 0

    job = BackgroundJob(endless)
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 3
    assert not job.is_running()
    assert live_jobs() == []


def test_closing_waits_for_a_stuck_job_no_longer_than_the_shutdown_bound(qtbot, monkeypatch):
    monkeypatch.setattr(gui.worker, "SHUTDOWN_WAIT_MS", 300)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    job = BackgroundJob(lambda: release.wait(10))  # e.g. reading files: cannot be interrupted
    job.start()
    started = time.perf_counter()
    window.close()
    assert 0.25 < time.perf_counter() - started < 1.5
    assert job.is_running()  # left behind rather than holding the window
    with qtbot.waitSignal(job.done, timeout=5000):
        release.set()
