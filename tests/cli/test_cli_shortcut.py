"""`descent-lab install-shortcut [--remove]`: a menu entry and icon in the user's own data folder."""

import json
import sys

import pytest

import cli
from assets import asset
from cli import shortcut
from tests.conftest import REPO_ROOT


def run(capsys, *argv):
    code = cli.run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A temporary home folder, with $XDG_DATA_HOME unset: the default ~/.local/share applies."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return tmp_path / "home"


def test_the_entry_and_icon_go_to_local_share_and_remove_takes_them_away(capsys, home):
    code, out, err = run(capsys, "install-shortcut", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert files_under(home) == [".local/share/applications/descent-lab.desktop",
                                 ".local/share/icons/hicolor/scalable/apps/descent-lab.svg"]
    icon = home / ".local/share/icons/hicolor/scalable/apps/descent-lab.svg"
    assert icon.read_bytes() == asset("icons", "descent-lab.svg").read_bytes()
    entry = (home / ".local/share/applications/descent-lab.desktop").read_text(encoding="utf-8")
    lines = entry.splitlines()
    assert lines[0] == "[Desktop Entry]" and "Type=Application" in lines and "Name=Descent Lab" in lines
    assert f"Icon={icon}" in lines and "Terminal=false" in lines
    assert f"Exec={shortcut.exec_value(record['command'])}" in lines
    assert record == {"desktop_entry": str(home / ".local/share/applications/descent-lab.desktop"),
                      "icon": str(icon), "command": shortcut.launch_command()}

    code, out, err = run(capsys, "install-shortcut", "--remove")
    assert code == 0, err
    assert files_under(home) == [] and "descent-lab.desktop" in out and "descent-lab.svg" in out
    code, out, err = run(capsys, "install-shortcut", "--remove")
    assert code == 0 and "nothing: no shortcut was installed" in out


def test_xdg_data_home_is_honoured_and_nothing_else_is_written(capsys, home, tmp_path, monkeypatch):
    data_home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    code, out, err = run(capsys, "install-shortcut")
    assert code == 0, err
    assert files_under(data_home) == ["applications/descent-lab.desktop",
                                      "icons/hicolor/scalable/apps/descent-lab.svg"]
    assert not home.exists()
    assert str(data_home / "applications" / "descent-lab.desktop") in out  # the table says where


def test_the_entry_starts_the_script_beside_python_or_else_python_with_main_py(tmp_path, monkeypatch):
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    monkeypatch.setattr(sys, "executable", str(venv_bin / "python"))
    assert shortcut.launch_command() == [sys.executable, str(REPO_ROOT / "main.py")]  # a checkout
    (venv_bin / "descent-lab").write_text("#!/bin/sh\n")
    assert shortcut.launch_command() == [str(venv_bin / "descent-lab")]  # a venv, pipx


def test_exec_arguments_are_quoted_and_escaped_as_the_desktop_entry_spec_says():
    assert shortcut.exec_value(["/usr/bin/descent-lab"]) == "/usr/bin/descent-lab"
    # Spaces need quotes; $ " ` \ are backslash-escaped inside them, and every backslash is then
    # doubled by the string-value escaping; % is doubled everywhere. (GLib's parser reads these back.)
    assert shortcut.exec_value(["/home/a b/python", "/x/main.py"]) == '"/home/a b/python" /x/main.py'
    assert shortcut.exec_value(["/a $b/c"]) == r'"/a \\$b/c"'
    assert shortcut.exec_value(['a\\b "q" 5%']) == r'"a\\\\b \\"q\\" 5%%"'


def test_a_folder_that_cannot_be_written_gives_one_line_and_exit_2(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    code, out, err = run(capsys, "install-shortcut")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot write" in err and "Traceback" not in err


def test_other_systems_are_told_to_use_the_command(capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    code, _out, err = run(capsys, "install-shortcut")
    assert code == 2 and "Linux desktop menu entry" in err
