"""Is there a screen to open the window on? Asked before Qt starts, because Qt's own answer misleads.

Started on Linux without a reachable X server, Qt's xcb platform plugin aborts with "could not
load the Qt platform plugin 'xcb'" and a hint about libxcb-cursor0, although nothing is missing
but the display. This module looks at DISPLAY first and says so in one line. It imports nothing
of Qt, so the check costs nothing when a display is there.
"""

from __future__ import annotations

import os
import re
import socket
import sys

X_SOCKET_DIR = "/tmp/.X11-unix"
X_TCP_BASE_PORT = 6000
CONNECT_TIMEOUT = 1.0   # seconds, for a display on another host (e.g. ssh -X)

NO_DISPLAY_HINT = ("to run without a screen use Qt's offscreen platform, e.g. "
                   "QT_QPA_PLATFORM=offscreen python main.py --screenshot window.png")


def display_problem(environ=None, platform: str | None = None) -> str | None:
    """Why no window can open here, in words; None when there is a display (or Qt is told to use
    something other than X11: offscreen, Wayland, or another operating system)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or (chosen and not chosen.startswith("xcb")):
        return None
    if not chosen and environ.get("WAYLAND_DISPLAY"):
        return None   # Qt picks Wayland itself
    display = environ.get("DISPLAY", "").strip()
    if not display:
        return f"no display found (DISPLAY is not set); {NO_DISPLAY_HINT}"
    if not x_server_answers(display):
        return f"no display found (no X server answers on DISPLAY={display}); {NO_DISPLAY_HINT}"
    return None


def x_server_answers(display: str) -> bool:
    """Whether an X server accepts connections for `display` ("[host]:number[.screen]")."""
    match = re.fullmatch(r"(?P<host>[^:]*):(?P<number>\d+)(\.\d+)?", display)
    if match is None:
        return True   # a form we do not know (e.g. a launchd path): let Qt try it
    host, number = match.group("host"), int(match.group("number"))
    if host in ("", "unix"):
        path = f"{X_SOCKET_DIR}/X{number}"
        # Linux X servers also listen on an abstract socket of the same name
        return _connects(socket.AF_UNIX, "\0" + path) or _connects(socket.AF_UNIX, path)
    return _connects(socket.AF_INET, (host, X_TCP_BASE_PORT + number))


def _connects(family: int, address) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(CONNECT_TIMEOUT)
            connection.connect(address)
        return True
    except OSError:
        return False
