"""`install-shortcut [--remove]`: put Descent Lab in a Linux desktop's applications menu, or take it out.

For teachers who never open a terminal: one command writes a freedesktop.org menu entry and the
icon into the user's own data folder ($XDG_DATA_HOME, else ~/.local/share), the place every Linux
desktop reads user menu entries from. Nothing outside that folder is touched, so no root is needed,
and --remove deletes exactly the two files written.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from assets import ICON, asset
from cli.common import PROGRAM, CliError, add_common_options, emit

APP_ID = "descent-lab"

# The Exec key's reserved characters: an argument holding one of them must be quoted
# (Desktop Entry Specification, "The Exec key").
_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def register(sub) -> None:
    p = sub.add_parser("install-shortcut", help="add Descent Lab to the applications menu (Linux)",
                       description="Write a menu entry (.desktop file) and the icon into your own data folder "
                                   "($XDG_DATA_HOME, else ~/.local/share), so Descent Lab starts from the "
                                   "desktop's applications menu. Nothing outside your home is changed.")
    p.add_argument("--remove", action="store_true", help="remove the menu entry and the icon again")
    add_common_options(p, seed=False)
    p.set_defaults(handler=run_install_shortcut)


def shortcut_files() -> tuple[Path, Path]:
    """Where the menu entry and the icon go: $XDG_DATA_HOME/applications and .../icons/hicolor."""
    import platformdirs

    data_home = platformdirs.user_data_path()  # $XDG_DATA_HOME when set (and absolute), else ~/.local/share
    return (data_home / "applications" / f"{APP_ID}.desktop",
            data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")


def launch_command() -> list[str]:
    """The command that starts this very installation: its `descent-lab` script when it sits beside
    the interpreter (a virtual environment, pipx; it outlives a Python upgrade), else the
    interpreter running main.py (a checkout, or a system without scripts beside Python)."""
    script = Path(sys.executable).with_name(APP_ID)
    if script.is_file():
        return [str(script)]
    spec = importlib.util.find_spec("main")
    if spec is None or spec.origin is None:
        raise CliError("cannot tell how Descent Lab was started: no `descent-lab` script beside "
                       f"{sys.executable} and no main.py on the module path")
    return [sys.executable, str(Path(spec.origin).resolve())]


def exec_value(command: list[str]) -> str:
    """`command` as the Exec value of a desktop entry: reserved characters quoted, then escaped
    once more as a string value (the file is unescaped before the command line is split)."""
    def argument(text: str) -> str:
        text = text.replace("%", "%%")  # % starts a field code such as %f
        if _RESERVED.search(text):
            text = '"' + re.sub(r'(["`$\\])', r"\\\1", text) + '"'
        return text.replace("\\", "\\\\").replace("\n", "\\n")

    return " ".join(argument(part) for part in command)


def desktop_entry(command: list[str], icon: Path) -> str:
    """The text of the menu entry that starts `command`, shown with the icon file `icon`."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=Descent Lab",
        "GenericName=Neural network lessons",
        "Comment=Why neural networks learn with derivatives, shown by measurement",
        f"Exec={exec_value(command)}",
        f"Icon={icon}",  # the file itself: found even where the desktop has no hicolor theme index
        "Terminal=false",
        "Categories=Education;Science;ArtificialIntelligence;",
        "Keywords=neural network;gradient descent;derivative;backpropagation;MNIST;",
        "StartupNotify=true",
        "StartupWMClass=Descent Lab",  # the window's WM_CLASS (the application name gui/app.py sets)
        "",
    ])


def run_install_shortcut(args) -> int:
    if sys.platform in ("win32", "cygwin", "darwin"):
        raise CliError("install-shortcut writes a Linux desktop menu entry; on this system start "
                       "Descent Lab with the `descent-lab` command")
    entry, icon = shortcut_files()
    if args.remove:
        removed = remove_shortcut(entry, icon)
        emit(args, {"removed": removed},
             [("removed", path) for path in removed] or [("removed", "nothing: no shortcut was installed")])
        return 0
    command = launch_command()
    install_shortcut(entry, icon, command)
    emit(args, {"desktop_entry": str(entry), "icon": str(icon), "command": command},
         [("desktop entry", entry), ("icon", icon), ("starts", " ".join(command)),
          ("menu", f"Education › Descent Lab (to remove it: {PROGRAM} install-shortcut --remove)")])
    return 0


def install_shortcut(entry: Path, icon: Path, command: list[str]) -> None:
    """Write the icon and then the entry that shows it (so the menu never lists a missing icon)."""
    try:
        picture = asset(*ICON).read_bytes()
    except OSError:
        raise CliError(f"the icon {ICON[-1]} is missing from this installation; reinstall Descent Lab") from None
    try:
        for path in (entry, icon):
            path.parent.mkdir(parents=True, exist_ok=True)
        icon.write_bytes(picture)
        entry.write_text(desktop_entry(command, icon), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename}: {exc.strerror or exc}") from None


def remove_shortcut(entry: Path, icon: Path) -> list[str]:
    """Delete the entry and the icon; the paths of those that were there."""
    removed = [str(path) for path in (entry, icon) if path.exists()]
    try:
        for path in (entry, icon):
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise CliError(f"cannot remove {exc.filename}: {exc.strerror or exc}") from None
    return removed
