"""Reading remembered settings without trusting them: every stored value comes through here.

A settings file can be damaged, edited by hand, or written by another version: a geometry that is
text, an epoch count of 1e308, a list where a folder was, a value nested a thousand deep. None of
that may stop the app from starting. So nothing reads ``QSettings`` directly: ``SettingsReader.read``
takes a key, a *kind* (a parser below, which checks type and range) and a default, and returns the
default for a value that is missing, of the wrong type or out of range. The keys it refused are
collected in ``rejected``, so the window can say in its status bar that those settings were reset.

The kinds also check the values a tab keeps in its own state (``remembered_state``), through
``state_value``.

One kind of damage must be removed before Qt reads the file at all: a ``@Variant(...)`` value nested
thousands deep makes Qt's own decoder overflow the stack (a crash, not an exception). The app never
writes such values, so ``defuse`` drops long ones from the file first, and sets a file far larger
than any the app writes aside.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from engine.atomic_write import atomic_write

T = TypeVar("T")
Kind = Callable[[Any], Any]

#: Longest text value (a folder, a typed function) and largest binary or JSON value accepted.
MAX_TEXT = 4096
MAX_BYTES = 64 * 1024

_WHOLE = re.compile(r"[+-]?\d{1,18}")

#: A settings file of the app is a few kB; one beyond this is set aside as "NAME.damaged".
MAX_FILE_BYTES = 1_000_000
#: ``@Variant(...)`` lines longer than this are dropped before Qt decodes them (the app writes none;
#: 1,000 characters allow at most about 60 levels of nesting, far below what crashes Qt).
MAX_VARIANT_CHARS = 1000


class BadSetting(ValueError):
    """A stored value that cannot be used (the message says why, for the log)."""


def boolean(raw) -> bool:
    """True/False as QSettings stores them ("true"/"false" in an INI file)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise BadSetting(f"not true or false: {raw!r:.40}")


def integer(low: int, high: int) -> Kind:
    """A whole number in low … high (written as digits, or as a float with no fraction)."""
    def parse(raw) -> int:
        if isinstance(raw, bool):
            raise BadSetting("a truth value where a number belongs")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
            value = int(raw.strip())
        else:
            as_float = number(low, high)(raw)
            if not as_float.is_integer():
                raise BadSetting(f"not a whole number: {raw!r:.40}")
            value = int(as_float)
        if not low <= value <= high:
            raise BadSetting(f"{value} is outside {low} … {high}")
        return value
    return parse


def number(low: float, high: float) -> Kind:
    """A finite number in low … high."""
    def parse(raw) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise BadSetting(f"not a number: {raw!r:.40}")
        if isinstance(raw, str) and len(raw) > 64:
            raise BadSetting("a number written with too many characters")
        value = float(raw)          # ValueError for text that is not a number
        if not math.isfinite(value) or not low <= value <= high:
            raise BadSetting(f"{value} is outside {low:g} … {high:g}")
        return value
    return parse


def text(max_length: int = MAX_TEXT, choices: Sequence[str] | None = None) -> Kind:
    """A string (not a list: an unquoted "a, b" in an INI file reads as one) of printable length,
    without NUL characters; one of `choices` if given."""
    def parse(raw) -> str:
        if not isinstance(raw, str):
            raise BadSetting(f"not text: {type(raw).__name__}")
        if len(raw) > max_length or "\0" in raw:
            raise BadSetting("text too long or with a NUL character")
        if choices is not None and raw not in choices:
            raise BadSetting(f"{raw!r:.40} is not one of the choices")
        return raw
    return parse


def byte_array(max_bytes: int = MAX_BYTES) -> Kind:
    """Binary data as Qt saves it (window geometry); text is refused."""
    def parse(raw) -> QByteArray:
        if not isinstance(raw, QByteArray) or raw.size() > max_bytes:
            raise BadSetting("not binary data of a plausible size")
        return raw
    return parse


def json_object(max_bytes: int = MAX_BYTES) -> Kind:
    """A JSON object (dict) written as text, of bounded size and nesting."""
    def parse(raw) -> dict:
        if not isinstance(raw, str) or len(raw) > max_bytes:
            raise BadSetting("not JSON text of a plausible size")
        try:
            value = json.loads(raw)
        except RecursionError:
            raise BadSetting("JSON nested too deeply") from None
        if not isinstance(value, dict):
            raise BadSetting("JSON that is not an object")
        return value
    return parse


def list_of(kind: Kind, max_items: int) -> Kind:
    """A list (from a tab's JSON state) of at most `max_items` values of `kind`."""
    def parse(raw) -> list:
        if not isinstance(raw, list) or len(raw) > max_items:
            raise BadSetting(f"not a list of at most {max_items} items")
        return [kind(item) for item in raw]
    return parse


def optional(kind: Kind) -> Kind:
    """`kind`, or None (JSON null)."""
    return lambda raw: None if raw is None else kind(raw)


def state_value(state: dict, key: str, kind: Kind, default: T) -> T:
    """A tab's remembered value `key`: the default when absent; BadSetting when it is unusable."""
    if key not in state:
        return default
    try:
        return kind(state[key])
    except (TypeError, ValueError, OverflowError) as exc:
        raise BadSetting(f"{key}: {exc}") from None


def defuse(settings: QSettings) -> list[str]:
    """Make an INI settings file safe for Qt to decode; returns the keys (as written in the file)
    that were dropped. Call before anything reads `settings`."""
    path = Path(settings.fileName())
    if path.suffix.lower() not in (".ini", ".conf") or not path.is_file():
        return []       # the registry or a property list: no INI escapes to decode
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            os.replace(path, path.with_name(path.name + ".damaged"))
            settings.sync()
            return ["(the whole settings file, kept as " + path.name + ".damaged)"]
        lines = path.read_bytes().splitlines(keepends=True)
    except OSError:
        return []       # unreadable: Qt will find it empty too
    dropped = [line for line in lines if b"=@Variant(" in line and len(line) > MAX_VARIANT_CHARS]
    if dropped:
        try:
            with atomic_write(path) as out:
                out.writelines(line for line in lines if line not in dropped)
        except OSError:
            return []
        settings.sync()     # read the cleaned file again
    return [line.split(b"=", 1)[0].decode("utf-8", "replace").strip() for line in dropped]


class SettingsReader:
    """Typed, checked reads from a QSettings; what was refused is listed in ``rejected``."""

    def __init__(self, settings: QSettings):
        self.settings = settings
        self.rejected: list[str] = []

    def read(self, key: str, kind: Kind, default: T) -> T:
        """The value at `key` parsed by `kind`, or `default` when missing or unusable."""
        try:
            raw = self.settings.value(key)
        except Exception:            # a value Qt itself cannot decode  # noqa: BLE001
            self.rejected.append(key)
            return default
        if raw is None:
            return default
        try:
            return kind(raw)
        except (TypeError, ValueError, OverflowError, RecursionError):
            self.rejected.append(key)
            return default

    def keys_in(self, group: str) -> list[str]:
        """The keys stored directly under `group`."""
        self.settings.beginGroup(group)
        try:
            return list(self.settings.childKeys())
        finally:
            self.settings.endGroup()


def reset_message(keys: Sequence[str]) -> str:
    """The status bar's line after refusing `keys`."""
    shown = ", ".join(keys[:4]) + (f" and {len(keys) - 4} more" if len(keys) > 4 else "")
    return f"Some remembered settings could not be used and were reset to their defaults ({shown})."
