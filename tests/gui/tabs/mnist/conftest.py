"""Helpers for the MNIST tab's tests: the real data loaded once, and a local server to download from."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

import pytest

from engine.mnist import MnistData, load_mnist


@pytest.fixture(scope="module")
def mnist_data(mnist_dir) -> MnistData:
    return load_mnist(mnist_dir)


@pytest.fixture
def serve():
    """``serve(folder, pause=0.0) -> url``: an HTTP server on 127.0.0.1 for ``folder``, stopped after
    the test. ``pause`` seconds between 32 kB chunks make a download take long enough to watch or
    cancel, as a real network would."""
    servers = []

    def serve(folder: Path, pause: float = 0.0) -> str:
        handler = functools.partial(PacedHandler, pause, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class PacedHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, pause, *args, **kwargs):
        self.pause = pause
        super().__init__(*args, **kwargs)

    def copyfile(self, source, outputfile):
        try:
            while chunk := source.read(32 * 1024):
                outputfile.write(chunk)
                if self.pause:
                    time.sleep(self.pause)   # the server's own thread, not the test
        except (BrokenPipeError, ConnectionResetError):
            pass                             # the client cancelled

    def log_message(self, *args):
        pass
