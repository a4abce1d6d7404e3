"""How well drawn digits are read, by the size they are drawn at: the lesson's "small and in a corner".

The 20 hand-written pen paths of ``tests/polyline_digits.py`` (digits 0-9 in two hands, not from
MNIST) are drawn on the MNIST tab's real canvas (offscreen) with the default pen (22 px) and a thin
one (6 px): 200 px tall in the middle, and 40, 60 and 80 px tall in each of the four corners. For
each size it prints the share read correctly by the shipped models,

* *canvas*: what the Draw page gives the network (the strokes redrawn with MNIST's pen);
* *picture*: the same canvas saved as a picture and read like ``mnist classify`` does;
* *raw*: the canvas shrunk to 28×28 with no preparation (the Draw page's switch).

    python benchmarks/drawn_digits.py [--quick]

Target: on the canvas, every size within 5 points of the large digits, for both pens and models.
"""

from __future__ import annotations

import argparse
import os
import sys

import _common

PENS = {"default": 22.0, "thin": 6.0}
MODELS = ("3b1b", "wide")
SLACK = 0.05


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 40 px digits and the large ones")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import numpy as np
    from PySide6.QtWidgets import QApplication

    from engine.mnist.models import load_pretrained
    from engine.mnist.outputs import class_probabilities
    from engine.mnist.preprocess import preprocess_drawing, raw_drawing
    from gui.tabs.mnist.draw_page import DrawPage
    from tests.polyline_digits import CORNERS, drawings

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (widgets need it)
    networks = {name: load_pretrained(name) for name in MODELS}
    page = DrawPage()
    page.set_network(networks["3b1b"], [str(d) for d in range(10)])
    canvas = page.drawing.canvas
    sizes = [(200, ["middle"]), (40, CORNERS)] if args.quick else [(200, ["middle"])] + [
        (height, CORNERS) for height in (40, 60, 80)]

    def read(images, labels) -> dict[str, float]:
        batch = np.stack(images).reshape(len(images), 784)
        return {name: float(np.mean(class_probabilities(net, batch).argmax(axis=1) == labels))
                for name, net in networks.items()}

    results = {}   # (height, pen) -> {"canvas"|"picture"|"raw": {model: accuracy}}
    for height, places in sizes:
        cases = drawings(height, places)
        labels = np.array([digit for digit, _ in cases])
        for pen_name, pen in PENS.items():
            canvas.brush_width = pen
            seen = {"canvas": [], "picture": [], "raw": []}
            for _, strokes in cases:
                canvas.clear()
                for stroke in strokes:
                    canvas.draw_stroke(stroke)
                picture = canvas.image_array()
                seen["canvas"].append(page.input)
                seen["picture"].append(preprocess_drawing(picture))
                seen["raw"].append(raw_drawing(picture))
            results[height, pen_name] = {way: read(images, labels) for way, images in seen.items()}

    print(f"{len(drawings(200, ['middle']))} digits, share read correctly ({', '.join(MODELS)})")
    print(f"{'size':>7} {'pen':>8}   {'canvas':>13}   {'picture':>13}   {'raw':>13}")
    for (height, pen_name), ways in results.items():
        cells = ["  ".join(f"{ways[way][m]:.2f}" for m in MODELS) for way in ("canvas", "picture", "raw")]
        print(f"{height:>5} px {pen_name:>8}   " + "   ".join(f"{c:>13}" for c in cells))

    large = min(results[200, pen]["canvas"][m] for pen in PENS for m in MODELS)
    for height, _ in sizes:
        worst = min(results[height, pen]["canvas"][m] for pen in PENS for m in MODELS)
        target = f">= {large - SLACK:.2f}, the large digits' {large:.2f} less 5 points"
        _common.figure(f"canvas_accuracy_{height}px", worst, "share", target, worst >= large - SLACK)
        _common.figure(f"picture_accuracy_{height}px",
                       min(results[height, pen]["picture"][m] for pen in PENS for m in MODELS), "share")
        _common.figure(f"raw_accuracy_{height}px",
                       min(results[height, pen]["raw"][m] for pen in PENS for m in MODELS), "share")
    return 0


if __name__ == "__main__":
    sys.exit(main())
