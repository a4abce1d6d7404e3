"""Long runs keep bounded, evenly thinned histories (issue 16, item 5)."""

from __future__ import annotations

import engine.descent as descent
from engine.descent import DescentSettings, collect_run, make_problem
from engine.history import Thinned


def test_thinned_keeps_an_even_sample_with_the_first_and_the_newest():
    kept = Thinned(capacity=8)
    for i in range(1000):
        kept.add(i)
    items = kept.items()
    assert len(items) <= 9 and items[0] == 0 and items[-1] == 999
    steps = {b - a for a, b in zip(items[:-2], items[1:-1])}
    assert len(steps) == 1                          # evenly spaced (the newest may come early)
    short = Thinned(capacity=8)
    for i in range(5):
        short.add(i)
    assert short.items() == [0, 1, 2, 3, 4]         # a short run keeps everything


def test_a_long_descent_keeps_bounded_history_but_reports_every_update(monkeypatch):
    problem = make_problem()
    settings = DescentSettings(0.1, epochs=300, batch="one")
    full = collect_run(problem, settings, (0.0, 0.0))
    monkeypatch.setattr(descent, "MAX_HISTORY", 100)
    thin = collect_run(problem, settings, (0.0, 0.0))
    assert full.w.size == 30_001 and thin.w.size <= 101
    assert thin.summary()["updates"] == full.summary()["updates"] == 30_000
    assert thin.w[-1] == full.w[-1] and thin.epoch[-1] == full.epoch[-1] == 300
