"""Installed like real software: the sdist and the wheel carry every file the app reads, the build
is free of deprecation warnings, and the shipped files are found without the checkout around them.

(`.ci/run` goes further: it installs the wheel into a clean environment and runs it elsewhere.)
"""

import subprocess
import sys
import tarfile
import zipfile

import pytest

from tests.conftest import REPO_ROOT

ASSETS = REPO_ROOT / "assets"


def shipped_files() -> list[str]:
    """Every data file in assets/, as a path inside the package ("assets/lessons/mnist.md")."""
    return sorted(str(p.relative_to(REPO_ROOT)) for p in ASSETS.rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc"))


def build(kind: str, source, out) -> str:
    """Build the sdist or the wheel of `source` into `out` with setuptools, warnings as errors."""
    code = f"from setuptools import build_meta; print(build_meta.build_{kind}({str(out)!r}))"
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=source,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sdist of the checkout, and the wheel built from that sdist (as `python -m build` does)."""
    pytest.importorskip("setuptools", minversion="77")  # the test extra installs it
    out = tmp_path_factory.mktemp("dist")
    sdist = out / build("sdist", REPO_ROOT, out)
    with tarfile.open(sdist) as archive:
        archive.extractall(out / "unpacked", filter="data")
    wheel = out / build("wheel", out / "unpacked" / sdist.name.removesuffix(".tar.gz"), out)
    return sdist, wheel


def test_the_shipped_files_are_the_ones_the_app_reads():
    files = shipped_files()
    assert {"assets/lessons/derivatives.md", "assets/lessons/random-search.md", "assets/lessons/gradient-descent.md",
            "assets/lessons/mnist.md", "assets/models/3b1b.npz", "assets/models/wide.npz",
            "assets/icons/descent-lab.svg"} <= set(files)


def test_the_wheel_built_from_the_sdist_carries_every_shipped_file(built):
    sdist, wheel = built
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        metadata = archive.read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    assert set(shipped_files()) <= in_sdist
    assert set(shipped_files()) <= in_wheel
    assert {"LICENSE", "tests/conftest.py", "pyproject.toml"} <= in_sdist  # a packager can test the sdist
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel)
    assert "License-Expression: MIT" in metadata and "Classifier: Topic :: Education" in metadata
    assert {"main.py", "cli/__init__.py", "engine/mnist/models.py", "gui/tabs/mnist/tab.py"} <= in_wheel


def test_the_shipped_files_are_read_from_a_zip_too(tmp_path):
    """No path is built from a module's location: the assets package works zipped (zipimport)."""
    archive = tmp_path / "assets.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ["assets/__init__.py", *shipped_files()]:
            zipped.write(REPO_ROOT / name, name)
    code = (f"import sys; sys.path.insert(0, {str(archive)!r}); import assets\n"
            "assert assets.__file__.startswith(sys.path[0]), assets.__file__\n"
            "from engine.mnist.models import load_pretrained\n"
            "from gui.widgets.lesson_panel import lesson_text\n"
            "print(load_pretrained('wide').layer_sizes, 'Try this' in lesson_text('mnist'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[784,", "256,", "128,", "10]", "True"]
    assert "missing" not in result.stderr
