"""Writing a file so that a failure can never destroy what was there before.

Every file the app writes (models, plot exports, run reports, downloads) goes through here. The
bytes go to a new temporary file in the target's folder, created exclusively (``mkstemp``: a name
nobody else holds, never through a symbolic link), flushed and fsync'ed, and only then renamed over
the target with ``os.replace``, which is atomic on one file system. A disk that fills up, a size
limit, a crash or a cancelled job leaves the old file whole and removes only its own temporary
file, never another job's.

``check_writable`` answers "could I save there?" before hours of work are spent on the contents.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["TEMP_SUFFIX", "atomic_write", "atomic_path", "check_writable", "is_temporary"]

#: Temporary files end with this (plus the target's own suffix for `atomic_path`, whose writers
#: choose the format by it).
TEMP_SUFFIX = ".part"

# The permissions a plain open() would give a new file; mkstemp's 0600 is for the temporary only.
_UMASK = os.umask(0)
os.umask(_UMASK)


def _refuse_read_only(target: Path) -> None:
    """A file the user made read-only stays as it is: replacing it by rename would otherwise work."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(f"{target} is a folder")
    if not (info.st_mode & 0o222) or not os.access(target, os.W_OK):
        raise PermissionError(f"{target} is read-only")


def _final_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _temporary_beside(target: Path, keep_suffix: bool = False) -> tuple[int, Path]:
    """A new file ".NAME.RANDOM.part" (".part.png" with `keep_suffix`) beside the target."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                suffix=TEMP_SUFFIX + (target.suffix if keep_suffix else ""))
    return fd, Path(name)


def is_temporary(path: str | Path) -> bool:
    """Whether `path` names a temporary file of this module (for cleaning up and for tests)."""
    name = Path(path).name
    return name.startswith(".") and TEMP_SUFFIX in name


def _commit(handle: BinaryIO, temporary: Path, target: Path) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    os.chmod(temporary, _final_mode(target))
    os.replace(temporary, target)
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


@contextmanager
def atomic_write(target: str | Path) -> Iterator[BinaryIO]:
    """``with atomic_write(path) as out: out.write(...)``: `path` gets the bytes only if the block ends
    normally; on any exception (or a generator closed inside the block) the old file is untouched.

    Raises PermissionError for an existing read-only target, IsADirectoryError for a folder.
    """
    target = Path(target)
    _refuse_read_only(target)
    fd, temporary = _temporary_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            _commit(handle, temporary, target)
    except BaseException:
        _remove(temporary)
        raise


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Like `atomic_write`, for writers that need a file name (Qt and pyqtgraph exporters): yields the
    path of an empty temporary file with the target's suffix, which is renamed over `target` after
    the block if the writer left it non-empty."""
    target = Path(target)
    _refuse_read_only(target)
    fd, temporary = _temporary_beside(target, keep_suffix=True)
    os.close(fd)
    try:
        yield temporary
        if temporary.stat().st_size == 0:
            raise OSError(f"could not write {target}")
        with open(temporary, "rb+") as handle:
            _commit(handle, temporary, target)
    except BaseException:
        _remove(temporary)
        raise


def check_writable(target: str | Path) -> Path:
    """Raise OSError (a plain message) unless `target` could be written now: its folder exists or can
    be created and takes new files, and the target is not a folder or a read-only file."""
    target = Path(target).expanduser()
    _refuse_read_only(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = _temporary_beside(target)
    os.close(fd)
    _remove(temporary)
    return target
