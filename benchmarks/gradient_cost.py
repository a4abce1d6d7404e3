"""Print what a numerical gradient costs against backpropagation for the three preset networks.

    python benchmarks/gradient_cost.py [--batch 32] [--method forward|central] [--presets small,lesson,large]

The large preset takes a minute or more: every one of its ~110,000 parameters needs its own
forward pass. Figures depend on the machine; the ratio is the lesson.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.gradient_cost import NETWORK_PRESETS, format_duration, run_gradient_cost  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--method", choices=["forward", "central"], default="forward")
    parser.add_argument("--presets", default="small,lesson,large")
    args = parser.parse_args()
    header = f"{'network':<22}{'params':>9}{'passes':>9}{'numerical':>12}{'backprop':>11}{'speed-up':>10}" \
             f"{'max |diff|':>12}{'1M params, epoch':>18}"
    print(header)
    for name in args.presets.split(","):
        layers = NETWORK_PRESETS[name.strip()]
        r = run_gradient_cost(layers=layers, batch=args.batch, method=args.method)
        print(f"{'-'.join(map(str, layers)):<22}{r['parameters']:>9,}{r['numerical_forward_passes']:>9,}"
              f"{format_duration(r['numerical_seconds']):>12}{format_duration(r['backprop_seconds']):>11}"
              f"{r['speedup']:>9,.0f}×{r['max_abs_difference']:>12.2g}"
              f"{format_duration(r['million_epoch_numerical_seconds']):>18}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
