"""Handwritten digits 0-9 in two hands, written out as pen paths for tests and benchmarks.

They were written for Descent Lab by hand, not taken from MNIST, so a network's success on them says
something about drawings it has never seen. Each digit is a list of strokes; each stroke a list of
(x, y) points in a box of height 1 (x to the right, y down), in the order the pen went.
`placed` puts one on a canvas at a given height, in a corner or the middle.
"""

from __future__ import annotations

import math

__all__ = ["HANDS", "PRINTED", "SLANTED", "CORNERS", "placed", "drawings"]


def arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float, steps: int = 16):
    """Points along an ellipse from angle `start` to `stop` (degrees; 0 = right, 90 = down)."""
    return [(cx + rx * math.cos(math.radians(start + (stop - start) * i / steps)),
             cy + ry * math.sin(math.radians(start + (stop - start) * i / steps))) for i in range(steps + 1)]


#: Upright, school-style digits.
PRINTED = {
    0: [arc(0.3, 0.5, 0.3, 0.5, -90, 270, 24)],
    1: [[(0.22, 0.12), (0.35, 0.0), (0.35, 1.0)]],
    2: [arc(0.3, 0.27, 0.28, 0.27, 190, 360, 10) + [(0.55, 0.42), (0.0, 1.0), (0.62, 1.0)]],
    3: [arc(0.3, 0.25, 0.27, 0.25, 200, 450, 12)[:-1] + arc(0.3, 0.73, 0.3, 0.27, -90, 150, 12)],
    4: [[(0.45, 0.0), (0.0, 0.68), (0.66, 0.68)], [(0.5, 0.3), (0.5, 1.0)]],
    5: [[(0.6, 0.0), (0.1, 0.0), (0.06, 0.45)] + arc(0.3, 0.7, 0.3, 0.3, 220, 510, 14)],
    6: [[(0.55, 0.02), (0.3, 0.2)] + arc(0.32, 0.7, 0.3, 0.3, 200, 560, 20)],
    7: [[(0.0, 0.0), (0.62, 0.0), (0.2, 1.0)]],
    8: [arc(0.3, 0.25, 0.24, 0.25, 90, -270, 16)[:-4] + arc(0.3, 0.74, 0.3, 0.26, -90, 270, 18)
        + arc(0.3, 0.25, 0.24, 0.25, 90, 30, 3)],
    9: [arc(0.3, 0.28, 0.28, 0.28, 0, -360, 18) + [(0.58, 0.5), (0.5, 1.0)]],
}

#: A quicker hand: slanted or open shapes, a flagged 1 with a foot, a crossed 7, a closed 4.
SLANTED = {
    0: [[(x + 0.18 * (1 - y), y) for x, y in arc(0.25, 0.5, 0.22, 0.5, -100, 265, 24)]],
    1: [[(0.12, 0.2), (0.4, 0.0), (0.28, 1.0)], [(0.1, 1.0), (0.5, 1.0)]],
    2: [arc(0.32, 0.25, 0.3, 0.25, 180, 380, 10) + [(0.04, 0.97), (0.25, 0.9), (0.45, 0.97), (0.7, 0.92)]],
    3: [[(0.05, 0.0), (0.6, 0.0), (0.25, 0.38)] + arc(0.32, 0.7, 0.3, 0.3, -100, 150, 14)],
    4: [[(0.55, 1.0), (0.55, 0.0), (0.0, 0.62), (0.72, 0.62)]],
    5: [[(0.7, 0.02), (0.22, 0.0), (0.12, 0.42)] + arc(0.32, 0.68, 0.32, 0.31, 235, 500, 14)],
    6: [[(0.5, 0.0), (0.12, 0.55)] + arc(0.33, 0.76, 0.24, 0.24, 210, 570, 20)],
    7: [[(0.05, 0.1), (0.15, 0.0), (0.68, 0.02), (0.35, 0.5), (0.25, 1.0)], [(0.22, 0.48), (0.55, 0.48)]],
    8: [arc(0.32, 0.24, 0.22, 0.24, -90, 270, 16), arc(0.32, 0.74, 0.28, 0.26, -90, 270, 18)],
    9: [arc(0.3, 0.26, 0.28, 0.26, 10, 370, 18) + [(0.58, 0.3), (0.58, 1.0)]],
}

HANDS = {"printed": PRINTED, "slanted": SLANTED}
CORNERS = ("top left", "top right", "bottom left", "bottom right")


def placed(strokes, height: float, where: str = "middle", canvas: int = 280, margin: float = 16.0):
    """The strokes scaled to `height` canvas pixels (the pen's path, not counting its width) and put
    in the middle of the canvas or `margin` pixels from the edges of a corner, e.g. "top left"."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    scale = height / (max(ys) - min(ys))
    wide, high = scale * (max(xs) - min(xs)), scale * (max(ys) - min(ys))
    if where == "middle":
        left, top = (canvas - wide) / 2, (canvas - high) / 2
    else:
        vertical, horizontal = where.split()
        top = margin if vertical == "top" else canvas - margin - high
        left = margin if horizontal == "left" else canvas - margin - wide
    return [[(left + scale * (x - min(xs)), top + scale * (y - min(ys))) for x, y in stroke]
            for stroke in strokes]


def drawings(height: float, places=CORNERS):
    """(digit, strokes) for every digit of both hands at `height`, once in each of `places`."""
    return [(digit, placed(hand[digit], height, where))
            for hand in HANDS.values() for digit in range(10) for where in places]
