"""Saving a model from the window: a failure keeps the model and offers another place (issue 16, item 3)."""

from __future__ import annotations

import stat

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from engine.network import Network
from gui.tabs.mnist.tab import MnistInspectorTab

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def tab(open_tab):
    return open_tab(MnistInspectorTab(seed=0, search_data=False), 1300, 820)


def test_a_read_only_target_is_left_alone_and_another_place_is_asked_for(tab, tmp_path, monkeypatch):
    locked = tmp_path / "locked.npz"
    locked.write_bytes(b"an older model")
    locked.chmod(stat.S_IRUSR)
    answers = [str(locked), str(tmp_path / "elsewhere.npz")]
    titles = []

    def dialog(_parent, title, *_args, **_kwargs):
        titles.append(title)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    tab.save_button.click()
    assert len(titles) == 2 and "another place" in titles[1]
    assert locked.read_bytes() == b"an older model"
    saved = Network.load(tmp_path / "elsewhere.npz")
    assert np.array_equal(saved.get_weights()[0], tab.network.get_weights()[0])
    assert "saved to" in tab.message.text()


def test_nan_weights_are_refused_and_the_model_is_kept(tab, tmp_path, monkeypatch):
    tab.network.parameters()[0].value[0, 0] = np.nan
    calls = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: calls.append(a) or (str(tmp_path / "m.npz"), ""))
    tab.save_button.click()
    assert len(calls) == 1                      # another place would not help: not asked again
    assert not (tmp_path / "m.npz").exists()
    assert "NaN or infinite" in tab.message.text() and "still here" in tab.message.text()
    assert np.isnan(tab.network.parameters()[0].value[0, 0])
