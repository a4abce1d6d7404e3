"""Model files: a network's architecture and weights in one .npz, written safely, read warily.

A model file is a zip archive (NumPy's .npz) of ``spec.npy``, the architecture as JSON text, and
``param_0.npy`` … ``param_K.npy``, the weights in the order of ``Network.parameters()``. It holds no
Python objects, so it loads without pickle.

A file a user opens may be damaged, renamed or hostile, and a tiny one can describe a network of
gigabytes. So everything is checked *before* memory is allocated for it: the archive's member list
and their uncompressed sizes (from the zip directory), the spec's size, nesting and values against
the limits below, and each weight member's .npy header (shape and dtype, read with
``np.lib.format`` without reading the data) against the spec. Only then are the arrays read. Every
problem is one ``ModelFileError`` line naming the file.

Saving refuses non-finite weights and writes through ``engine.atomic_write``, so a failed save
leaves the previous file whole.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.activations import ACTIVATIONS
from engine.atomic_write import atomic_write
from engine.layers import INITIALISATIONS
from engine.losses import LOSSES

if TYPE_CHECKING:
    from engine.network import Network

__all__ = ["ModelFileError", "NonFiniteWeightsError", "save_network", "load_network", "check_spec",
           "FORMAT_VERSION", "DTYPES", "MAX_LAYERS", "MAX_LAYER_SIZE", "MAX_PARAMETERS", "MAX_SPEC_BYTES"]

FORMAT_VERSION = 1
#: Weight types a model may have; anything else (bool, text, objects) is refused.
DTYPES = ("float32", "float64")
#: Entries in the spec's layer list (Dense and activation layers together).
MAX_LAYERS = 64
#: Inputs or outputs of one Dense layer.
MAX_LAYER_SIZE = 65_536
#: Weights and biases of the whole network: 10 million, 80 MB in float64.
MAX_PARAMETERS = 10_000_000
#: The architecture record is a few hundred bytes; this leaves room and refuses megabytes.
MAX_SPEC_BYTES = 64 * 1024
#: A .npy header is at most a few hundred bytes; allowed on top of the data's own size.
HEADER_ALLOWANCE = 4096

_PARAM_NAME = re.compile(r"param_(\d{1,4})\.npy")


class ModelFileError(ValueError):
    """A model file that cannot be used: missing, corrupt, or describing another network."""


class NonFiniteWeightsError(ModelFileError):
    """A network whose weights hold NaN or infinity: saving it would only keep the damage."""


def save_network(network: Network, path: str | Path) -> Path:
    """Write architecture and weights to `path` atomically (the old file survives any failure).

    Raises NonFiniteWeightsError (nothing is written) if a weight is NaN or infinite, OSError if
    the file cannot be written.
    """
    path = Path(path)
    if not network.is_finite():
        raise NonFiniteWeightsError(
            f"{path.name}: not saved: some weights are NaN or infinite (training diverged; "
            "try a smaller learning rate)")
    arrays = {f"param_{i}": p.value for i, p in enumerate(network.parameters())}
    with atomic_write(path) as out:
        np.savez(out, spec=np.array(json.dumps(network.spec())), **arrays)
    return path


# --- reading -----------------------------------------------------------------------------------
def _int_field(item: dict, key: str, where: str) -> int:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelFileError(f"{where}: '{key}' must be a whole number, not {value!r:.40}")
    if not 1 <= value <= MAX_LAYER_SIZE:
        raise ModelFileError(f"{where}: '{key}' = {value} is outside 1 … {MAX_LAYER_SIZE:,}")
    return value


def check_spec(spec: object) -> list[tuple[int, int]]:
    """Check an architecture record against the format and the limits; return the Dense shapes
    [(n_in, n_out), ...]. Raises ModelFileError (without the file name) saying what is wrong."""
    if not isinstance(spec, dict):
        raise ModelFileError("the architecture record is not a JSON object")
    if spec.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise ModelFileError(f"format {spec.get('format')!r:.20} is not one this version reads ({FORMAT_VERSION})")
    dtype = spec.get("dtype", "float64")
    if dtype not in DTYPES:
        raise ModelFileError(f"weight type {dtype!r:.40} is not allowed (only {' or '.join(DTYPES)})")
    if spec.get("loss") not in LOSSES:
        raise ModelFileError(f"unknown cost {spec.get('loss')!r:.40}")
    layers = spec.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ModelFileError("the architecture record has no list of layers")
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(f"{len(layers):,} layers; at most {MAX_LAYERS} are allowed")
    shapes: list[tuple[int, int]] = []
    for number, item in enumerate(layers, 1):
        where = f"layer {number}"
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise ModelFileError(f"{where} is not a layer description")
        kind = item["type"]
        if kind == "dense":
            if item.get("init", "small") not in INITIALISATIONS:
                raise ModelFileError(f"{where}: unknown initialisation {item.get('init')!r:.40}")
            n_in, n_out = _int_field(item, "n_in", where), _int_field(item, "n_out", where)
            if shapes and shapes[-1][1] != n_in:
                raise ModelFileError(f"{where} takes {n_in} inputs but the layer before gives {shapes[-1][1]}")
            shapes.append((n_in, n_out))
        elif kind not in ACTIVATIONS:
            raise ModelFileError(f"{where}: unknown layer type {kind!r:.40}")
    if not shapes:
        raise ModelFileError("the network has no Dense layer")
    count = sum(n_in * n_out + n_out for n_in, n_out in shapes)
    if count > MAX_PARAMETERS:
        raise ModelFileError(f"{count:,} parameters; at most {MAX_PARAMETERS:,} are allowed")
    return shapes


def _header(archive: zipfile.ZipFile, member: str) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype from a member's .npy header, without reading its data."""
    with archive.open(member) as stream:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"unsupported .npy version {version}")
    return shape, dtype


def _read(archive: zipfile.ZipFile, member: str) -> np.ndarray:
    with archive.open(member) as stream:
        return np.lib.format.read_array(stream, allow_pickle=False)


def _read_spec(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    info = members.get("spec.npy")
    if info is None:
        raise ModelFileError("no architecture record ('spec') in the file; it was not saved by Descent Lab")
    if info.file_size > MAX_SPEC_BYTES:
        raise ModelFileError(f"the architecture record is {info.file_size:,} bytes, far more than a model needs")
    shape, dtype = _header(archive, "spec.npy")
    if dtype.hasobject:
        raise ModelFileError("the file contains Python objects (pickle); refusing to load it for safety")
    if shape != () or dtype.kind != "U":
        raise ModelFileError("the architecture record is not text")
    try:
        return json.loads(str(_read(archive, "spec.npy")))
    except RecursionError:
        raise ModelFileError("the architecture record is nested too deeply") from None
    except ValueError as exc:
        raise ModelFileError(f"the architecture record is not valid JSON ({exc})") from None


def _check_members(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                   shapes: list[tuple[int, int]], dtype: np.dtype) -> list[str]:
    """Compare every weight member's header and size with the spec; return them in order."""
    expected = []
    for n_in, n_out in shapes:
        expected += [(n_in, n_out), (n_out,)]
    names = [f"param_{i}.npy" for i in range(len(expected))]
    found = {name for name in members if _PARAM_NAME.fullmatch(name)}
    unknown = set(members) - found - {"spec.npy"}
    if found != set(names) or unknown:
        missing = sorted(n[:-4] for n in set(names) - found)
        extra = sorted(n.removesuffix(".npy") for n in (found - set(names)) | unknown)
        raise ModelFileError(f"weights do not match the architecture (missing {missing or 'none'}, "
                             f"unexpected {extra[:5] or 'none'})")
    for i, (name, shape) in enumerate(zip(names, expected)):
        label = f"{'weights' if i % 2 == 0 else 'biases'} of layer {i // 2 + 1}"
        nbytes = math.prod(shape) * dtype.itemsize
        if members[name].file_size > nbytes + HEADER_ALLOWANCE:
            raise ModelFileError(f"{label}: {members[name].file_size:,} bytes stored where {nbytes:,} are expected")
        found_shape, found_dtype = _header(archive, name)
        if found_dtype.kind != "f":
            raise ModelFileError(f"{label} are of type {found_dtype}, not floating point")
        if found_dtype.itemsize != dtype.itemsize:
            raise ModelFileError(f"{label} are {found_dtype}, but the architecture says {dtype}")
        if tuple(found_shape) != shape:
            raise ModelFileError(f"{label} have shape {tuple(found_shape)}, expected {shape}")
    return names


def load_network(path: str | Path) -> Network:
    """Read a file written by `save_network`, checking it first; any problem raises ModelFileError
    ("NAME: what is wrong")."""
    from engine.network import Network

    path = Path(path)
    try:
        return _load(path, Network)
    except ModelFileError as exc:
        raise ModelFileError(f"{path.name}: {exc}") from None
    except FileNotFoundError:
        raise ModelFileError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path.name}: is a folder, not a model file") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        # A damaged archive (CRC, truncated data) or a .npy header NumPy cannot parse.
        raise ModelFileError(f"{path.name}: the file is truncated or corrupt ({exc})") from None


def _load(path: Path, network_class) -> Network:
    if not path.exists():
        raise FileNotFoundError(path)
    if not path.is_file():
        raise ModelFileError("not a regular file")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            if handle.read(4) == b"PK\x03\x04":
                raise ModelFileError("the archive is truncated or corrupt")
        raise ModelFileError("not a Descent Lab model (it is not an .npz archive; "
                             "was another file renamed to .npz?)")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > 2 * MAX_LAYERS + 1:
            raise ModelFileError(f"{len(infos):,} entries in the archive; a model has at most {2 * MAX_LAYERS + 1}")
        members = {info.filename: info for info in infos}
        spec = _read_spec(archive, members)
        shapes = check_spec(spec)
        dtype = np.dtype(spec.get("dtype", "float64"))
        names = _check_members(archive, members, shapes, dtype)
        network = network_class.from_spec(spec)
        params = network.parameters()
        for i, (name, param) in enumerate(zip(names, params)):
            values = _read(archive, name)
            if not np.all(np.isfinite(values)):
                raise ModelFileError(f"{param.name} of layer {i // 2 + 1} holds non-finite values")
            param.value[...] = values
    return network
