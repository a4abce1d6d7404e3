"""The main window: its four tabs, menus, and a clean close while work is running."""

import time

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

    job = BackgroundJob(endless, parent=window)
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 3
    assert not job.is_running()
    assert live_jobs() == []
