"""The real-window smoke test: Descent Lab in a real X11 window, used by a scripted user.

The test suite draws offscreen, which cannot show what only a real display does: the xcb platform
plugin and the system libraries it loads, window placement on a 1280×800 screen, keyboard focus,
real mouse and key events. This script starts its own X server (Xvfb, 1280×800), runs
drive_window.py in it with QT_QPA_PLATFORM=xcb, and passes when that session

* ends with exit code 0 (every step it waited for happened),
* wrote nothing on stderr (no Qt warning, no Python warning or traceback), and
* was gone within 2 s of the window being closed while the network was training.

    python tests/realwindow/smoke.py        # needs Xvfb and xdotool (.ci/run installs both)

It is not part of the pytest suite, which must run without any display.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from gui.display import x_server_answers  # noqa: E402  (needs the path above; imports no Qt)
SCREEN = "1280x800x24"
EXIT_WITHIN_S = 2.0
SESSION_TIMEOUT_S = 300


def start_x_server() -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number: it picks one and writes it, with a newline, to a pipe."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    written, deadline = b"", time.monotonic() + 30
    while not written.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 1)
        if ready:
            chunk = os.read(read_end, 64)
            if not chunk:
                break
            written += chunk
    os.close(read_end)   # only now: Xvfb stops with a fatal error if the pipe closes before its newline
    number = written.decode().strip()
    display = f":{number}"
    while number and not x_server_answers(display) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not number or not x_server_answers(display):
        server.kill()
        raise SystemExit("real-window smoke test: Xvfb did not start")
    return server, display


def main() -> int:
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing:
        print(f"real-window smoke test: {' and '.join(missing)} not installed "
              "(Debian/Ubuntu: apt install xvfb xdotool)", file=sys.stderr)
        return 2
    server, display = start_x_server()
    home = Path(tempfile.mkdtemp(prefix="descent-lab-smoke-"))
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))  # never the user's settings
    try:
        session = subprocess.Popen([sys.executable, str(HERE / "drive_window.py")], env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        errors: list[str] = []
        reader = threading.Thread(target=lambda: errors.extend(session.stderr), daemon=True)
        reader.start()
        closed_at = None
        deadline = time.monotonic() + SESSION_TIMEOUT_S
        for line in session.stdout:
            print(f"  {line.rstrip()}", flush=True)
            if line.strip() == "closing":
                closed_at = time.monotonic()
            if time.monotonic() > deadline:
                break
        try:
            code = session.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            session.kill()
            code = "killed after the time limit"
        exited_at = time.monotonic()
        reader.join(5)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(home, ignore_errors=True)

    problems = []
    if code != 0:
        problems.append(f"the session ended with exit code {code}")
    if errors:
        problems.append("it wrote on stderr:\n" + "".join(f"    {line}" for line in errors))
    if closed_at is None:
        problems.append("it never got as far as closing the window")
    elif exited_at - closed_at > EXIT_WITHIN_S:
        problems.append(f"it took {exited_at - closed_at:.1f} s to exit after closing (at most {EXIT_WITHIN_S:g} s)")
    else:
        print(f"  exited {exited_at - closed_at:.2f} s after closing")
    for problem in problems:
        print(f"real-window smoke test: {problem}", file=sys.stderr)
    print("real-window smoke test: " + ("FAILED" if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
