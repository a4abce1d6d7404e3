"""`derivative` and `gradient-cost`: the Derivatives lesson without a window.

`derivative` prints the slope of a typed function by a finite difference next to the exact one;
`gradient-cost` times a network's gradient by finite differences against backpropagation.
"""

from __future__ import annotations

import sys

from cli.common import CliError, add_common_options, emit, finite_float, positive_float, whole_number


def register(sub) -> None:
    p = sub.add_parser("derivative", help="numerical and exact derivative of a function at a point",
                       description="Slope of f at x by a finite difference (the secant through the two points, "
                                   "secant_slope), next to the exact derivative (the tangent y = f′(x)·x + b: "
                                   "tangent_slope, tangent_intercept). Where f has a corner (|x| or relu at 0) or "
                                   "an infinite slope there is no tangent: its numbers are null, left_slope and "
                                   "right_slope give the one-sided slopes and note says why. A point where f is "
                                   "not defined (1/x at 0, log x at x <= 0) is refused. Functions use x, numbers, "
                                   "+ - * / ** (or ^), pi, e and sin cos tan exp log sqrt abs tanh relu sigmoid.")
    p.add_argument("--function", default="2*x**2", help="a function of x, e.g. \"2*x**2\" (default)")
    p.add_argument("--x", type=finite_float, default=2.0, help="the point x, any finite number (default 2)")
    p.add_argument("--delta", type=positive_float, default=1e-4,
                   help="step between the two points, any positive number (default 1e-4)")
    p.add_argument("--method", choices=["forward", "central"], default="forward",
                   help="forward (f(x+δ)−f(x))/δ or central (f(x+δ)−f(x−δ))/2δ")
    add_common_options(p)
    p.set_defaults(handler=run_derivative)

    p = sub.add_parser("gradient-cost", help="time a network's gradient numerically and by backpropagation",
                       description="Gradient of one random MNIST-shaped batch, by finite differences (one forward "
                                   "pass per parameter) and by backpropagation; prints both times, times a real "
                                   "million-parameter network and scales both to a full epoch of MNIST.")
    p.add_argument("--layers", default=None,
                   help="layer sizes, e.g. 784,16,16,10 (the default); at most 5,000,000 parameters and a "
                        "numerical gradient of at most a few minutes (P² × batch ≤ 10¹²)")
    p.add_argument("--preset", choices=["small", "lesson", "large"], help="a preset network instead of --layers")
    p.add_argument("--batch", type=whole_number(1, 10_000), default=32, help="samples in the batch, 1–10000 (default 32)")
    p.add_argument("--method", choices=["forward", "central"], default="forward",
                   help="forward differences need P+1 passes, central ones 2P")
    add_common_options(p)
    p.set_defaults(handler=run_gradient_cost_command)


def run_derivative(args) -> int:
    from engine.calculus import derivative_report

    report = derivative_report(args.function, args.x, args.delta, args.method)

    def shown(value):
        if value is None:
            return "none"
        return f"{value:.12g}" if isinstance(value, float) else value  # twelve digits: 8.0002 against 8

    rows = [(key, shown(value)) for key, value in report.items() if key != "note" or value]
    emit(args, report, rows)
    return 0


def run_gradient_cost_command(args) -> int:
    from engine.gradient_cost import (NETWORK_PRESETS, check_numerical_work, format_duration, parse_layers,
                                      run_gradient_cost)

    if args.layers and args.preset:
        raise CliError("give either --layers or --preset, not both")
    layers = NETWORK_PRESETS[args.preset] if args.preset else parse_layers(args.layers or "784,16,16,10")
    check_numerical_work(layers, args.batch, args.method)   # before saying "measuring"
    if not args.json:
        print(f"measuring {len(layers) - 1}-layer network {','.join(map(str, layers))} ...", file=sys.stderr)
    report = run_gradient_cost(layers=layers, batch=args.batch, method=args.method, seed=args.seed)
    rows = [
        ("network", ",".join(map(str, report["layers"]))),
        ("parameters", f"{report['parameters']:,}"),
        ("batch", report["batch"]),
        ("method", report["method"]),
        ("numerical forward passes", f"{report['numerical_forward_passes']:,}"),
        ("numerical time", format_duration(report["numerical_seconds"])),
        ("backprop passes", "1 forward + 1 backward"),
        ("backprop time", format_duration(report["backprop_seconds"])),
        ("speed-up", f"{report['speedup']:,.0f}×"),
        ("max |difference|", f"{report['max_abs_difference']:.3g}"),
        ("epoch (60,000 images), numerical", format_duration(report["epoch_numerical_seconds"])),
        ("epoch (60,000 images), backprop", format_duration(report["epoch_backprop_seconds"])),
        ("1M parameters, one batch, numerical", format_duration(report["million_numerical_seconds"])),
        ("1M parameters, one epoch, numerical", format_duration(report["million_epoch_numerical_seconds"])),
        ("1M parameters, one epoch, backprop", format_duration(report["million_epoch_backprop_seconds"])),
    ]
    emit(args, report, rows)
    return 0
