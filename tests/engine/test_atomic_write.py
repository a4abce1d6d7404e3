"""Saving never destroys the previous file: failures partway, read-only targets, NaN weights
(issue 16, item 3)."""

from __future__ import annotations

import os
import resource
import stat

import numpy as np
import pytest

from engine.atomic_write import atomic_path, atomic_write, check_writable
from engine.network import ModelFileError, Network, NonFiniteWeightsError, build_mlp


def test_a_save_cut_short_by_a_file_size_limit_leaves_the_old_model_loadable(tmp_path):
    path = tmp_path / "model.npz"
    small = build_mlp([4, 3], seed=0)
    small.save(path)
    before = path.read_bytes()
    big = build_mlp([784, 64, 10], seed=0)     # about 400 kB, over the limit below
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        with pytest.raises(OSError):
            big.save(path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert path.read_bytes() == before
    assert np.array_equal(Network.load(path).get_weights()[0], small.get_weights()[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]   # no temporary left


def test_a_read_only_model_is_not_replaced(tmp_path):
    path = tmp_path / "kept.npz"
    build_mlp([4, 3], seed=0).save(path)
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    with pytest.raises(PermissionError, match="read-only"):
        build_mlp([4, 3], seed=1).save(path)
    with pytest.raises(PermissionError, match="read-only"):
        check_writable(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.npz"]


def test_non_finite_weights_are_never_written(tmp_path):
    net = build_mlp([4, 3], seed=0)
    net.parameters()[0].value[0, 0] = np.nan
    with pytest.raises(NonFiniteWeightsError, match="bad.npz: not saved: .*NaN or infinite"):
        net.save(tmp_path / "bad.npz")
    assert isinstance(NonFiniteWeightsError("x"), ModelFileError)
    assert list(tmp_path.iterdir()) == []


def test_the_new_file_appears_whole_with_ordinary_permissions(tmp_path):
    target = tmp_path / "notes.txt"
    with atomic_write(target) as out:
        out.write(b"first half ")
        assert not target.exists()          # nothing at the target until the end
        out.write(b"second half")
    assert target.read_bytes() == b"first half second half"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_an_exception_inside_leaves_the_old_contents(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as out:
            out.write(b"new but unfinished")
            raise RuntimeError("disk unplugged")
    assert target.read_bytes() == b"old" and len(list(tmp_path.iterdir())) == 1


def test_a_symlink_at_the_temporary_name_is_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    for guess in (".out.bin.part", "out.bin.part"):
        (tmp_path / guess).symlink_to(victim)
    with atomic_write(tmp_path / "out.bin") as out:
        out.write(b"data")
    assert victim.read_bytes() == b"precious"
    assert (tmp_path / "out.bin").read_bytes() == b"data"


def test_atomic_path_keeps_the_suffix_and_refuses_an_empty_result(tmp_path):
    target = tmp_path / "plot.png"
    with atomic_path(target) as temporary:
        assert temporary.suffix == ".png" and temporary.parent == tmp_path
        temporary.write_bytes(b"png bytes")
    assert target.read_bytes() == b"png bytes"
    with pytest.raises(OSError, match="could not write"):
        with atomic_path(tmp_path / "empty.csv"):
            pass                             # a writer that silently wrote nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plot.png"]


def test_check_writable_refuses_a_folder_and_creates_missing_folders(tmp_path):
    with pytest.raises(IsADirectoryError):
        check_writable(tmp_path)
    assert check_writable(tmp_path / "new" / "deeper" / "m.npz").parent.is_dir()
