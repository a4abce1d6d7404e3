"""Downloading MNIST safely: mirrors, SHA-256 checks, progress, cancel at any moment.

Each file is streamed into a temporary file of its own beside the target (``engine.atomic_write``:
created exclusively, never through a link), hashed while it arrives, and renamed to `NAME` only when
its SHA-256 matches the sum written below. A mirror that fails (unreachable, connection dropped,
wrong bytes, silent or too slow: see ``fetch.Pace``) is forgotten and the next one is tried. So an
interrupted or corrupt download never leaves a file that looks valid, a cancelled one removes only
its own temporary file, and a half-finished one is simply started again.

`iter_download` is a generator (the caller drives it and can stop between chunks: closing it
deletes the partial file). Given an ``fetch.Abort``, it can also be stopped from another thread
while it waits on the network: ``abort.trigger()`` closes the connection and the generator ends
within a fraction of a second. `download_steps` is the same with expected failures as a returned
`MnistProblem` (for the window), and `download_mnist` wraps it with a callback for scripts.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from engine.atomic_write import atomic_write
from engine.mnist.fetch import Abort, Cancelled, Pace, open_url
from engine.mnist.files import FILE_NAMES, MnistProblem

__all__ = [
    "MIRRORS",
    "SHA256",
    "SIZES",
    "DownloadError",
    "DownloadCancelled",
    "DownloadProgress",
    "Abort",
    "Pace",
    "iter_download",
    "download_mnist",
    "file_is_valid",
    "sha256_of",
]

#: Public mirrors of the original files, tried in order.
MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]

#: SHA-256 of each original file (they also match the official MD5 sums).
SHA256: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: Size in bytes of each file: the progress total when a server does not send one, and a cap.
SIZES: dict[str, int] = {
    "train-images-idx3-ubyte.gz": 9_912_422,
    "train-labels-idx1-ubyte.gz": 28_881,
    "t10k-images-idx3-ubyte.gz": 1_648_877,
    "t10k-labels-idx1-ubyte.gz": 4_542,
}

CHUNK_BYTES = 64 * 1024
ALLOWED_SCHEMES = ("http", "https", "file")


class DownloadError(RuntimeError):
    """Every mirror failed for some file; the message says what happened at each."""


class DownloadCancelled(Cancelled):
    """The user stopped the download; partial files were removed."""


@dataclass(frozen=True)
class DownloadProgress:
    """One step of a download: `bytes_done` of `bytes_total` of `file` (number `file_index`,
    counting from 0, of `file_count`), fetched from `mirror`."""

    file: str
    bytes_done: int
    bytes_total: int
    file_index: int
    file_count: int
    mirror: str


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_is_valid(path: str | Path) -> bool:
    """True when `path` exists and has the expected checksum for its name."""
    path = Path(path)
    expected = SHA256.get(path.name)
    return expected is not None and path.is_file() and sha256_of(path) == expected


def normalise_mirror(url: str) -> str:
    """Check a mirror URL and give it a trailing slash; raises ValueError with a plain message."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES or not (parts.netloc or parts.scheme == "file"):
        raise ValueError(f"not a usable mirror address: {url!r} (expected http://, https:// or file://)")
    return url if url.endswith("/") else url + "/"


def _describe(exc: BaseException) -> str:
    """A short human description of a network failure."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"could not connect ({exc.reason})"
    if isinstance(exc, TimeoutError):
        text = str(exc)
        return text if text and text != "timed out" else "the server stopped answering (timed out)"
    return str(exc) or type(exc).__name__


def _fetch_one(name: str, mirror: str, target: Path, index: int, count: int, pace: Pace,
               abort: Abort) -> Iterator[DownloadProgress]:
    """Stream one file from one mirror into a temporary file; rename it to `target` after the
    checksum passes.

    Raises OSError/HTTPException/ValueError when the mirror fails, Cancelled on abort. The temporary
    file is removed on any exit that is not success, including the generator being closed.
    """
    expected_total = SIZES[name]
    digest = hashlib.sha256()
    done = 0
    started = time.monotonic()
    with open_url(mirror + name, abort, pace) as response, atomic_write(target) as out:
        announced = response.headers.get("Content-Length")
        total = int(announced) if announced and announced.isdigit() else expected_total
        if total != expected_total:
            raise ValueError(f"the server offers {total} bytes, but the real file has {expected_total}")
        yield DownloadProgress(name, 0, total, index, count, mirror)
        read = getattr(response, "read1", response.read)   # whatever has arrived, not a full chunk
        while chunk := read(CHUNK_BYTES):
            abort.check()
            done += len(chunk)
            if done > expected_total:
                raise ValueError("the server sent more bytes than the real file has")
            seconds = time.monotonic() - started
            if pace.too_slow(done, seconds):
                raise TimeoutError(f"too slow: {done:,} bytes in {seconds:.0f} s "
                                   f"(at least {pace.min_bytes_per_second / 1000:g} kB/s are needed)")
            digest.update(chunk)
            out.write(chunk)
            yield DownloadProgress(name, done, total, index, count, mirror)
        abort.check()       # a connection closed by the abort looks like an early end
        if done != expected_total:
            raise ValueError(f"the connection ended after {done} of {expected_total} bytes")
        if digest.hexdigest() != SHA256[name]:
            raise ValueError("the checksum is wrong (the file is damaged or not the original)")


def iter_download(target_dir: str | Path, mirrors: Sequence[str] | None = None, pace: Pace | None = None,
                  abort: Abort | None = None) -> Iterator[DownloadProgress]:
    """Download the four MNIST files into `target_dir`, yielding progress records.

    Files already present with the right checksum are kept (one record with bytes_done ==
    bytes_total). For each missing file the mirrors are tried in order, each within `pace`.
    Raises `DownloadError` when all mirrors fail for a file and `DownloadCancelled` once `abort`
    is triggered; closing the generator also stops and removes the temporary file.
    Returns the target folder (as the generator's return value).
    """
    pace = pace or Pace()
    abort = abort or Abort()
    mirror_list = [normalise_mirror(m) for m in (MIRRORS if mirrors is None else mirrors)]
    if not mirror_list:
        raise ValueError("no mirror to download from")
    target_dir = Path(target_dir).expanduser()
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the folder {target_dir}: {exc.strerror or exc}") from None
    names = list(FILE_NAMES.values())
    for index, name in enumerate(names):
        target = target_dir / name
        if file_is_valid(target):
            yield DownloadProgress(name, SIZES[name], SIZES[name], index, len(names), "")
            continue
        failures = []
        for mirror in mirror_list:
            try:
                yield from _fetch_one(name, mirror, target, index, len(names), pace, abort)
                break
            except Cancelled:
                raise DownloadCancelled("download cancelled; partial files were removed") from None
            except (OSError, HTTPException, ValueError) as exc:
                if abort.triggered():   # the failure is the closed connection: a cancel, not the mirror
                    raise DownloadCancelled("download cancelled; partial files were removed") from None
                failures.append(f"{mirror}: {_describe(exc)}")
        else:
            raise DownloadError(
                f"could not download {name} from any mirror. " + "; ".join(failures)
                + ". Check the internet connection, or give a mirror you can reach "
                "(for example a school server) or copy the four files into " + str(target_dir)
            )
    return target_dir


def download_steps(target_dir: str | Path, mirrors: Sequence[str] | None = None, pace: Pace | None = None,
                   abort: Abort | None = None) -> Generator[DownloadProgress, None, Path | MnistProblem]:
    """`iter_download`, with its expected failures (and a cancel) returned as an MnistProblem."""
    try:
        return (yield from iter_download(target_dir, mirrors, pace, abort))
    except (DownloadError, DownloadCancelled, OSError, ValueError) as exc:
        return MnistProblem(str(exc))


def download_mnist(
    target_dir: str | Path,
    mirrors: Sequence[str] | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    pace: Pace | None = None,
) -> Path:
    """Blocking download for scripts: calls `progress(record)` per chunk; raises
    `DownloadCancelled` if `should_cancel()` turns true, `DownloadError` if all mirrors fail."""
    steps = iter_download(target_dir, mirrors, pace)
    try:
        for record in steps:
            if progress is not None:
                progress(record)
            if should_cancel is not None and should_cancel():
                raise DownloadCancelled("download cancelled; partial files were removed")
    finally:
        steps.close()
    return Path(target_dir).expanduser()
