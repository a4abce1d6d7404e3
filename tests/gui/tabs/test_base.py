"""The tab contract: every lesson tab is a LessonTab and implements each hook it declares."""

import pytest

from gui.tabs.base import LessonTab, TabAction
from gui.tabs.derivatives.tab import DerivativesTab
from gui.tabs.gradient_descent.tab import GradientDescentTab
from gui.tabs.mnist.tab import MnistInspectorTab
from gui.tabs.random_search.tab import RandomSearchTab

HOOKS = {TabAction.RUN: "toggle_run", TabAction.STEP: "step_once", TabAction.RESET: "reset",
         TabAction.CLEAR_CANVAS: "clear_canvas", TabAction.NUDGE: "nudge"}
TABS = [DerivativesTab, RandomSearchTab, GradientDescentTab, MnistInspectorTab]


def test_every_action_has_its_hook():
    assert set(HOOKS) == {action for action in TabAction if action}


@pytest.mark.parametrize("tab", TABS, ids=lambda cls: cls.__name__)
def test_each_tab_implements_every_hook_it_declares_and_only_those(tab):
    assert issubclass(tab, LessonTab)
    for action, hook in HOOKS.items():
        implemented = getattr(tab, hook) is not getattr(LessonTab, hook)
        assert implemented == (action in tab.supports), hook


def test_what_the_lessons_offer_in_the_run_menu():
    assert DerivativesTab.supports == TabAction.RUN | TabAction.STEP | TabAction.RESET | TabAction.NUDGE
    assert RandomSearchTab.supports == TabAction.RUN | TabAction.RESET
    assert GradientDescentTab.supports == TabAction.RUN | TabAction.STEP | TabAction.RESET | TabAction.NUDGE
    assert MnistInspectorTab.supports == TabAction.RUN | TabAction.RESET | TabAction.CLEAR_CANVAS
