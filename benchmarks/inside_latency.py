"""From a pen stroke on the "Inside the network" page to its saliency maps and attacked images.

The real main window is opened on the MNIST Inspector's "Inside the network" page with a shipped
model (no MNIST files needed). Digit-like strokes are drawn on the page's canvas with real mouse
events. A drawing update recomputes every view of the page at once: the backpropagation record,
the saliency map and SmoothGrad (50 noisy copies), and both pushed images with their answers.
For each stroke two times are taken from the moment the release event is sent:

* *computed* – the release has been handled: every view of the page was given its new data;
* *on screen* – the section shown has repainted its last view (the event loop runs until then):
  Saliency for half the strokes, then Gradient attack for the other half.

    python benchmarks/inside_latency.py [--quick] [--strokes N] [--presets 3b1b,wide]

Target: saliency and both attacked images within 20 ms of a stroke ending (median, on screen).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _common

_common.set_blas_threads_from_argv()  # before NumPy loads, as main.py does
TARGET_MS = 20.0


def stroke_points(index: int, side: int) -> list[tuple[float, float]]:
    """A digit-like stroke on a canvas of `side` pixels: a slanted bar, a loop or a spiral."""
    import math

    cx, cy = side / 2 + 0.1 * side * math.sin(index), side / 2 + 0.1 * side * math.cos(1.7 * index)
    if index % 3 == 0:
        return [(cx - 0.04 * side + 0.08 * side * t / 20, cy - 0.32 * side + 0.64 * side * t / 20) for t in range(21)]
    radius = side * (0.18 + 0.09 * ((index * 7) % 5) / 4)
    turns = 1.0 if index % 3 == 1 else 1.6
    return [(cx + radius * (1 - 0.3 * t / 40) * math.cos(2 * math.pi * turns * t / 40) * 0.7,
             cy + radius * (1 - 0.3 * t / 40) * math.sin(2 * math.pi * turns * t / 40)) for t in range(41)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 strokes per model instead of 60")
    parser.add_argument("--strokes", type=int, default=60, help="strokes per model (default 60)")
    parser.add_argument("--presets", default="3b1b,wide", help="shipped models to use (default 3b1b,wide)")
    _common.add_blas_option(parser)
    args = parser.parse_args()
    strokes = 6 if args.quick else max(2, args.strokes)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    app, window, tab = _common.open_window("mnist")
    window.resize(1280, 800)   # a projector's screen
    page = getattr(tab, "inside_page", None)
    if page is None:
        print("error: the MNIST Inspector has no \"Inside the network\" page in this version", file=sys.stderr)
        return 2
    tab.pages.setCurrentWidget(page)
    canvas = page.canvas
    sections = [(page.saliency_panel, page.saliency_panel.smooth.view.viewport(), "saliency"),
                (page.attack_panel, page.attack_panel.noisy.view.viewport(), "attack")]
    watches = {name: _common.paint_watch(view) for _, view, name in sections}

    def send(kind, x, y, button, buttons) -> None:
        pos = QPointF(x, y)
        event = QMouseEvent(kind, pos, QPointF(canvas.mapToGlobal(pos.toPoint())), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(canvas, event)

    _common.run_until(lambda: False, 300)  # let the window settle (first layout and paints)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for preset in args.presets.split(","):
        tab.use_pretrained(preset.strip())
        computed, on_screen = [], {name: [] for name in watches}
        for index in range(strokes):
            section, _view, name = sections[2 * index // strokes]
            if page.sections.currentWidget() is not section:
                page.sections.setCurrentWidget(section)
                # the page scrolls on a small screen: bring the watched view into sight
                page.scroll_area.ensureWidgetVisible(_view)
                _common.run_until(lambda: False, 300)   # the section's first layout and paints
            canvas.clear()
            _common.run_until(lambda: False, 50)  # the cleared views are painted before the timing starts
            points = stroke_points(index, canvas.width())
            send(QEvent.Type.MouseButtonPress, *points[0], left, left)
            for x, y in points[1:]:
                send(QEvent.Type.MouseMove, x, y, none, left)
            _common.run_until(lambda: False, 50)  # so are the updates while drawing
            watches[name].painted = False
            started = time.perf_counter()
            send(QEvent.Type.MouseButtonRelease, *points[-1], left, none)
            computed.append((time.perf_counter() - started) * 1e3)
            if not _common.run_until(lambda: watches[name].painted):
                print(f"error: the {name} view was never repainted after a stroke", file=sys.stderr)
                return 1
            on_screen[name].append((time.perf_counter() - started) * 1e3)
        print(f"{strokes} strokes on the Inside the network page, model: {tab.model_origin}")
        _common.figure(f"inside_stroke_computed_median_{preset}", _common.percentile(computed, 50), "ms")
        for name, times in on_screen.items():
            median = _common.percentile(times, 50)
            _common.figure(f"inside_stroke_{name}_on_screen_median_{preset}", median, "ms",
                           f"<= {TARGET_MS:g} ms", median <= TARGET_MS)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
