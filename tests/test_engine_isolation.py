"""The engine must run without Qt: importing every engine module pulls in neither PySide6 nor pyqtgraph."""

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_engine_imports_without_qt():
    code = (
        "import pkgutil, importlib, sys, engine\n"
        "names = [m.name for m in pkgutil.walk_packages(engine.__path__, 'engine.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "bad = [name for name in sys.modules if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "print(len(names))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 8  # really imported the modules
