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


class FaultyMirror:
    """A loopback "mirror" that misbehaves as broken networks do, one way per URL:

    * ``/silent/``     accepts the connection, reads the request and never answers;
    * ``/unaccepted/`` a listening socket whose connections are never accepted (the kernel completes
      the handshake, nothing else happens);
    * ``/stall/``      sends the headers and the first kilobyte of the file, then nothing more;
    * ``/drip/``       sends the headers, then one byte every ``drip_seconds``.

    ``requests`` is set once a request has arrived, so a test can act at that moment.
    """

    def __init__(self, drip_seconds: float = 0.05):
        import socket
        import threading

        self.drip_seconds = drip_seconds
        self.requests = threading.Event()
        self._closing = threading.Event()
        self._connections: list = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.unaccepted = socket.create_server(("127.0.0.1", 0), backlog=8)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, mode: str) -> str:
        if mode == "unaccepted":
            return f"http://127.0.0.1:{self.unaccepted.getsockname()[1]}/unaccepted/"
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/{mode}/"

    def _serve(self) -> None:
        import threading

        while not self._closing.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection) -> None:
        from engine.mnist.download import SIZES

        try:
            request = connection.recv(4096).decode("latin-1")
            self.requests.set()
            _method, path, *_ = request.split(" ", 2)
            _, mode, name = path.split("/", 2)
            if mode == "silent":
                self._closing.wait()
                return
            connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {SIZES[name]}\r\n\r\n".encode())
            if mode == "stall":
                connection.sendall(bytes(1024))
                self._closing.wait()
            elif mode == "drip":
                while not self._closing.wait(self.drip_seconds):
                    connection.sendall(b"\0")
        except (OSError, ValueError, KeyError):
            pass                      # the client went away: what a real server sees too

    def close(self) -> None:
        import socket

        self._closing.set()

        def shut(sock) -> None:
            try:
                sock.shutdown(socket.SHUT_RDWR)   # wakes the accept() and the answering threads
            except OSError:
                pass
            sock.close()

        # Listening sockets first, and the accepting thread ended, so no connection can arrive
        # after the list below is read (one that did was never closed: a ResourceWarning later).
        shut(self.server)
        shut(self.unaccepted)
        self._thread.join(5)
        for connection in list(self._connections):
            shut(connection)


@pytest.fixture
def faulty_mirror():
    """A `FaultyMirror` on 127.0.0.1, closed after the test."""
    mirror = FaultyMirror()
    yield mirror
    mirror.close()
