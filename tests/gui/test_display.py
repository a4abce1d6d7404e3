"""Starting the window without a screen: one clear line and exit code 2, not Qt's xcb abort."""

import os
import socket
import subprocess
import sys

import pytest

from gui import display
from tests.conftest import REPO_ROOT


def test_no_display_variable_means_no_display():
    problem = display.display_problem({}, "linux")
    assert problem.startswith("no display found") and "QT_QPA_PLATFORM=offscreen" in problem


@pytest.mark.parametrize("environ, platform", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),      # told to draw without a screen
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),       # Qt will use Wayland
    ({}, "darwin"), ({}, "win32"),                     # not X11 at all
])
def test_other_platforms_are_left_to_qt(environ, platform):
    assert display.display_problem(environ, platform) is None


def test_a_display_without_an_x_server_is_no_display(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "X_SOCKET_DIR", str(tmp_path))
    problem = display.display_problem({"DISPLAY": ":7"}, "linux")
    assert "no X server answers on DISPLAY=:7" in problem


def test_a_listening_x_server_is_a_display(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "X_SOCKET_DIR", str(tmp_path))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        assert display.display_problem({"DISPLAY": ":7.0"}, "linux") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is the Linux display")
def test_the_app_says_so_in_one_line_and_exits_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("descent-lab: error: no display found")
    assert "--screenshot" in result.stderr and "offscreen" in result.stderr
