"""Hostile, damaged and oversized model files: each refused in one line naming the file, before
memory is spent on what the file claims (issue 16, item 4)."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
import zipfile

import numpy as np
import pytest

from engine.network import ModelFileError, Network, build_mlp

SMALL_SPEC = {"format": 1, "dtype": "float64", "loss": "softmax_ce",
              "layers": [{"type": "dense", "n_in": 4, "n_out": 3, "init": "he"}]}


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


def write_model(path, spec, members: dict[str, bytes] | None = None, compress=zipfile.ZIP_STORED):
    """A .npz by hand: `spec` (a dict, or raw text) plus the given members."""
    text = spec if isinstance(spec, str) else json.dumps(spec)
    with zipfile.ZipFile(path, "w", compression=compress) as archive:
        archive.writestr("spec.npy", npy(np.array(text)))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def refused(path, match: str) -> str:
    """Load `path` with allocations traced: the refusal must come before any large allocation."""
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as caught:
            Network.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ") and "\n" not in message
    assert re.search(match, message), message
    assert peak < 8_000_000, f"{peak:,} bytes allocated before refusing"
    return message


def test_a_tiny_file_declaring_a_huge_layer_is_refused_without_allocating(tmp_path):
    spec = {**SMALL_SPEC, "layers": [{"type": "dense", "n_in": 784, "n_out": 300_000}]}
    path = write_model(tmp_path / "huge.npz", spec)
    assert path.stat().st_size < 2000
    refused(path, r"n_out' = 300000 is outside 1 … 65,536")


def test_too_many_parameters_in_allowed_layer_sizes_is_refused(tmp_path):
    layers = [{"type": "dense", "n_in": 60_000, "n_out": 60_000}]
    refused(write_model(tmp_path / "wide.npz", {**SMALL_SPEC, "layers": layers}), r"3,600,060,000 parameters")
    layers = [{"type": "dense", "n_in": 10**6, "n_out": 10**6}]
    refused(write_model(tmp_path / "million.npz", {**SMALL_SPEC, "layers": layers}), r"outside 1")


def test_a_deeply_nested_spec_is_refused(tmp_path):
    refused(write_model(tmp_path / "deep.npz", "[" * 6_000 + "]" * 6_000), "nested too deeply")
    refused(write_model(tmp_path / "big.npz", "[" * 100_000 + "]" * 100_000), "far more than a model needs")


@pytest.mark.parametrize("dtype", ["bool", "U8", "object", "int64", "float16", "complex128"])
def test_weight_types_other_than_float32_and_float64_are_refused(tmp_path, dtype):
    refused(write_model(tmp_path / "typed.npz", {**SMALL_SPEC, "dtype": dtype}), "weight type .* not allowed")


@pytest.mark.parametrize("spec, match", [
    ({**SMALL_SPEC, "layers": "dense"}, "no list of layers"),
    ({**SMALL_SPEC, "layers": [{"type": "dense", "n_in": "4", "n_out": 3}]}, "must be a whole number"),
    ({**SMALL_SPEC, "layers": [{"type": "dense", "n_in": True, "n_out": 3}]}, "must be a whole number"),
    ({**SMALL_SPEC, "layers": [{"type": "lstm"}]}, "unknown layer type"),
    ({**SMALL_SPEC, "layers": [{"type": "dense", "n_in": 4, "n_out": 3}] * 2}, "takes 4 inputs but"),
    ({**SMALL_SPEC, "layers": [{"type": "relu"}] * 65}, "at most 64"),
    ({**SMALL_SPEC, "loss": "hinge"}, "unknown cost"),
    ({**SMALL_SPEC, "format": 99}, "format 99"),
    ([1, 2, 3], "not a JSON object"),
])
def test_malformed_architecture_records_are_named(tmp_path, spec, match):
    refused(write_model(tmp_path / "odd.npz", spec), match)


def test_member_headers_are_checked_against_the_spec_before_the_data_is_read(tmp_path):
    good = {"param_0.npy": npy(np.zeros((4, 3))), "param_1.npy": npy(np.zeros(3))}
    wrong_shape = {**good, "param_0.npy": npy(np.zeros((5, 3)))}
    refused(write_model(tmp_path / "shape.npz", SMALL_SPEC, wrong_shape), r"shape \(5, 3\), expected \(4, 3\)")
    integers = {**good, "param_1.npy": npy(np.zeros(3, dtype=np.int64))}
    refused(write_model(tmp_path / "ints.npz", SMALL_SPEC, integers), "not floating point")
    single = {**good, "param_0.npy": npy(np.zeros((4, 3), dtype=np.float32))}
    refused(write_model(tmp_path / "mixed.npz", SMALL_SPEC, single), "float32, but the architecture says float64")
    extra = {**good, "notes.npy": npy(np.zeros(1))}
    refused(write_model(tmp_path / "extra.npz", SMALL_SPEC, extra), "unexpected .*notes")


def test_a_member_far_larger_than_the_spec_allows_is_refused_unread(tmp_path):
    # 24 MB of zeros compress to a few kB: a zip bomb in miniature.
    members = {"param_0.npy": npy(np.zeros((4, 3))) + bytes(24_000_000), "param_1.npy": npy(np.zeros(3))}
    path = write_model(tmp_path / "bomb.npz", SMALL_SPEC, members, compress=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 100_000
    refused(path, r"24,000,224 bytes stored where 96 are expected")


@pytest.mark.parametrize("content", [b"just some notes\n", b"\x89PNG\r\n\x1a\n" + bytes(100),
                                     npy(np.zeros(3))])
def test_other_files_renamed_to_npz_are_not_a_descent_lab_model(tmp_path, content):
    path = tmp_path / "renamed.npz"
    path.write_bytes(content)
    message = refused(path, "not a Descent Lab model")
    assert "pickle" not in message


def test_a_folder_named_like_a_model_is_refused(tmp_path):
    (tmp_path / "folder.npz").mkdir()
    refused(tmp_path / "folder.npz", "not a regular file|is a folder")


def test_a_valid_model_still_loads(tmp_path):
    net = build_mlp([4, 3], activation="relu", loss="softmax_ce", seed=1)
    net.save(tmp_path / "ok.npz")
    assert np.array_equal(Network.load(tmp_path / "ok.npz").get_weights()[0], net.get_weights()[0])
