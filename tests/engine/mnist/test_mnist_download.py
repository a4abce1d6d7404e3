"""Downloading against a real HTTP server on 127.0.0.1 that serves the real MNIST files.

The server has several "mirrors": /good/ serves the files as they are, /corrupt/ flips bytes (same
length), /drop/ closes the connection halfway through each file, /missing/ answers 404.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from engine.mnist.download import (
    SHA256,
    DownloadCancelled,
    DownloadError,
    download_mnist,
    file_is_valid,
    iter_download,
    normalise_mirror,
)
from engine.mnist.fetch import Pace
from engine.mnist.files import FILE_NAMES, load_split


class QuietServer(ThreadingHTTPServer):
    """Joins its handler threads on close (so every connection is closed before the next test) and
    takes a client that hangs up mid-file, as a stopped download does, in silence."""

    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address):
        pass


class MirrorServer:
    def __init__(self, directory):
        self.files = {name: (directory / name).read_bytes() for name in FILE_NAMES.values()}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server.requests.append(self.path)
                _, mode, name = self.path.split("/", 2)
                body = server.files.get(name)
                if body is None or mode == "missing":
                    self.send_error(404, "Not Found")
                    return
                if mode == "corrupt":
                    middle = len(body) // 2
                    body = body[:middle] + bytes(b ^ 0xFF for b in body[middle:middle + 8]) + body[middle + 8:]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "drop":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{mode}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server(mnist_dir):
    mirror = MirrorServer(mnist_dir)
    yield mirror
    mirror.close()


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir())


def test_download_succeeds_with_progress(server, tmp_path):
    target = tmp_path / "data"
    records = list(iter_download(target, [server.url("good")]))
    assert {r.file for r in records} == set(FILE_NAMES.values())
    assert all(r.file_count == 4 for r in records)
    for name in FILE_NAMES.values():
        mine = [r for r in records if r.file == name]
        done = [r.bytes_done for r in mine]
        assert done == sorted(done) and done[-1] == mine[-1].bytes_total
        assert file_is_valid(target / name)
    big = [r for r in records if r.file == "train-images-idx3-ubyte.gz"]
    assert len(big) > 10  # progress arrives in chunks, not only at the end
    assert leftovers(target) == sorted(FILE_NAMES.values())
    images, labels = load_split(target, "test")
    assert images.shape == (10000, 784) and labels.shape == (10000,)

    # Valid files are kept: a second run asks the server for nothing.
    server.requests.clear()
    again = list(iter_download(target, [server.url("good")]))
    assert server.requests == [] and len(again) == 4


def test_corrupt_mirror_fails_checksum_and_next_mirror_is_used(server, tmp_path):
    records = list(iter_download(tmp_path, [server.url("corrupt"), server.url("good")]))
    assert all(file_is_valid(tmp_path / name) for name in FILE_NAMES.values())
    assert {r.mirror for r in records} >= {server.url("corrupt"), server.url("good")}
    assert any(path.startswith("/corrupt/") for path in server.requests)
    assert leftovers(tmp_path) == sorted(FILE_NAMES.values())


def test_every_mirror_failing_raises_a_plain_message_and_leaves_nothing(server, tmp_path):
    with pytest.raises(DownloadError) as caught:
        list(iter_download(tmp_path, [server.url("corrupt"), server.url("missing")]))
    message = str(caught.value)
    assert "could not download train-images-idx3-ubyte.gz" in message
    assert "checksum is wrong" in message and "404" in message
    assert leftovers(tmp_path) == []


def test_dropped_connection_leaves_no_file(server, tmp_path):
    with pytest.raises(DownloadError, match="connection ended after"):
        list(iter_download(tmp_path, [server.url("drop")]))
    assert leftovers(tmp_path) == []
    # With a good mirror behind it the download completes.
    list(iter_download(tmp_path, [server.url("drop"), server.url("good")]))
    assert all(file_is_valid(tmp_path / name) for name in FILE_NAMES.values())


def test_closing_the_generator_cancels_and_removes_the_part_file(server, tmp_path):
    steps = iter_download(tmp_path, [server.url("good")])
    for record in steps:
        if record.bytes_done > 1_000_000:
            break
    assert [p.name for p in tmp_path.iterdir()][0].startswith(".train-images-idx3-ubyte.gz.")  # its temporary
    steps.close()
    assert leftovers(tmp_path) == []


def test_download_mnist_callbacks_and_cancel(server, tmp_path):
    seen = []
    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, [server.url("good")], progress=seen.append,
                       should_cancel=lambda: len(seen) >= 5)
    assert len(seen) == 5 and leftovers(tmp_path) == []
    assert download_mnist(tmp_path / "x", [server.url("good")]) == tmp_path / "x"
    assert all(file_is_valid(tmp_path / "x" / name) for name in SHA256)


def test_unreachable_mirror_and_bad_addresses(tmp_path):
    with pytest.raises(DownloadError, match="could not connect"):
        list(iter_download(tmp_path, ["http://127.0.0.1:9/"], Pace(stall_seconds=2)))
    assert leftovers(tmp_path) == []
    with pytest.raises(ValueError, match="not a usable mirror"):
        normalise_mirror("ftp://example.org/mnist/")
    with pytest.raises(ValueError, match="not a usable mirror"):
        normalise_mirror("mirror.school.local")
    assert normalise_mirror(" https://school.example/mnist ") == "https://school.example/mnist/"


def test_a_folder_of_files_works_as_a_file_url_mirror(mnist_dir, tmp_path):
    list(iter_download(tmp_path, [mnist_dir.as_uri()]))
    assert all(file_is_valid(tmp_path / name) for name in FILE_NAMES.values())
