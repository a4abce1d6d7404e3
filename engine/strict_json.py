"""JSON that every parser accepts: NaN and infinity become null, NumPy values become plain ones.

Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which strict parsers (JavaScript's
``JSON.parse``, ``jq``, most other languages) reject. A diverged run's loss is exactly such a number,
so everything the app prints or saves as JSON goes through ``dumps`` here, which converts first and
then lets ``json`` guard the result with ``allow_nan=False``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np

__all__ = ["plain", "dumps"]


def plain(value):
    """`value` with every non-finite float replaced by None and NumPy scalars and arrays made into
    Python numbers and lists (dicts, lists and tuples are walked; other objects are left alone)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def dumps(value, **options) -> str:
    """``json.dumps`` of ``plain(value)`` that refuses (ValueError) any NaN that got through."""
    return json.dumps(plain(value), allow_nan=False, **options)
