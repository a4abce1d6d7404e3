"""Read Descent Lab's window through AT-SPI, as the Orca screen reader on Linux does.

Run by .ci/atspi-check inside a D-Bus session (it needs a display, at-spi2-core and the
distribution's python3-pyatspi; this script runs under the system Python that has pyatspi, the app
under the project's Python). It starts the accessibility bus and the app on the Derivatives tab,
then checks in the accessibility tree that:

* the measured slope is readable: a label named "Slope m (measured): 8.0002..." (2x² at x₀ = 2,
  δ = 0.0001, forward difference), not just its caption;
* the x₀ slider says its value in real units ("x₀ = 2.00"), not its step;
* moving the slider through AT-SPI (as assistive technology can) updates the slope it reads.

Prints one line per check; exit code 0 when all hold, 1 when one fails, 2 when the environment
lacks a piece (said which).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher",
             "/usr/lib/x86_64-linux-gnu/at-spi-bus-launcher")
APP_TIMEOUT = 60.0


def missing(reason: str) -> None:
    print(f"atspi-check: cannot run: {reason}", file=sys.stderr)
    sys.exit(2)


def find(node, match, depth=0, limit=40):
    """The first accessible under ``node`` (depth first) for which ``match(node)`` holds."""
    if node is None or depth > limit:
        return None
    try:
        if match(node):
            return node
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:  # a node that went away while we walked
        return None
    for child in children:
        found = find(child, match, depth + 1, limit)
        if found is not None:
            return found
    return None


def wait_for(what: str, probe, timeout: float = APP_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.25)
    raise TimeoutError(f"no {what} within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"),
                        help="the Python that runs the app (default: the checkout's .venv)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        missing("no DISPLAY: start Xvfb first (e.g. Xvfb :99 & export DISPLAY=:99)")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        missing("no D-Bus session: run this through .ci/atspi-check (it uses dbus-run-session)")
    try:
        import pyatspi
    except ImportError:
        missing("pyatspi is missing: apt-get install python3-pyatspi at-spi2-core")
    launcher = next((path for path in LAUNCHERS if Path(path).exists()), shutil.which("at-spi-bus-launcher"))
    if launcher is None:
        missing("at-spi-bus-launcher is missing: apt-get install at-spi2-core")

    bus = subprocess.Popen([launcher, "--launch-immediately"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb",
               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="atspi-check-"))
    app = subprocess.Popen([args.python, str(REPO / "main.py"), "--tab", "derivatives"], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failures = 0
    try:
        desktop = pyatspi.Registry.getDesktop(0)

        def our_app():
            return find(desktop, lambda n: n.getRoleName() == "application" and n.name == "Descent Lab", limit=1)

        root = wait_for("Descent Lab in the accessibility tree", our_app)

        def slope_label():
            # "Slope m (measured):" with the colon: the readout, not the caption label beside it
            return find(root, lambda n: n.getRoleName() == "label" and n.name.startswith("Slope m (measured):"))

        def x0_slider():
            return find(root, lambda n: n.getRoleName() == "slider" and n.name.startswith("x₀"))

        label = wait_for("slope readout", slope_label)
        ok = label.name.split(":", 1)[1].strip().startswith("8.0002")
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} slope readout reads {label.name!r}")

        slider = wait_for("x₀ slider", x0_slider)
        ok = slider.name == "x₀ = 2.00"
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} x₀ slider reads {slider.name!r}")

        value = slider.queryValue()
        value.currentValue = value.minimumValue + 0.375 * (value.maximumValue - value.minimumValue)  # x₀ = −1
        label = wait_for("slope readout at x₀ = −1",
                         lambda: find(root, lambda n: n.getRoleName() == "label" and n.name.startswith(
                             "Slope m (measured): -3.9998")), timeout=10)
        print(f"ok   after moving x₀ through AT-SPI the readout reads {label.name!r}")
    except TimeoutError as exc:
        failures += 1
        print(f"FAIL {exc}")
    finally:
        app.terminate()
        try:
            output, _ = app.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
            output, _ = app.communicate()
        bus.terminate()
        bus.wait(timeout=10)
    if failures:
        print("app output:\n" + output, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
