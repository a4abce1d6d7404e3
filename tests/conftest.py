"""Test set-up shared by the whole suite.

A bare ``pytest`` must work anywhere, including machines without a screen, so Qt is told to use its
offscreen platform before anything imports it. Every test is also checked for worker threads it
left running: a leaked QThread is a bug that shows up later as a crash on exit.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _running_qthreads() -> list:
    import sys
    if "PySide6.QtCore" not in sys.modules:
        return []
    from PySide6.QtCore import QThread
    running = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj.isRunning():
                running.append(obj)
        except RuntimeError:  # the C++ side is already gone
            continue
    return running


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory):
    """QSettings written by tests go to a temporary folder, never into the user's real settings."""
    from PySide6.QtCore import QCoreApplication, QSettings
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("Descent Lab Tests")
    QCoreApplication.setApplicationName("Descent Lab Tests")
    yield folder


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """The user's config and data folders (XDG) are temporary ones: a test neither finds the user's
    own MNIST download, remembered folder or menu entries, nor writes anything there."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads(request):
    """Fail a test that leaves a worker thread running (after stopping it, so others stay clean)."""
    yield
    import sys
    if "gui.worker" not in sys.modules:
        return
    from gui.worker import live_jobs, stop_all_jobs
    leaked = live_jobs()
    threads = _running_qthreads()
    if leaked or threads:
        stop_all_jobs()
        for thread in threads:
            thread.quit()
            thread.wait(3000)
        pytest.fail(f"test left {max(len(leaked), len(threads))} worker thread(s) running")


def real_mnist_dir() -> Path | None:
    """The real MNIST files: $DESCENT_LAB_MNIST_DIR, else ../shared/mnist beside the checkout."""
    candidates = [os.environ.get("DESCENT_LAB_MNIST_DIR", "").strip(), REPO_ROOT.parent / "shared" / "mnist"]
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).is_file() for name in MNIST_FILES):
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder of the real MNIST files; tests that need it are skipped where there is none."""
    folder = real_mnist_dir()
    if folder is None:
        pytest.skip("real MNIST files not found: set DESCENT_LAB_MNIST_DIR or put them in ../shared/mnist")
    return folder
