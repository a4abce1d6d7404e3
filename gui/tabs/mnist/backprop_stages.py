"""The backpropagation walk-through as a list of stages: what each step reveals, in words and numbers.

Forward through every layer, then the cost, then backward through every layer, and last the
first layer's weight gradients: 2L + 3 stages for L layers of neurons. Each stage's text puts the
numbers of the current example into the formula it shows (the most active neuron going forward,
the one with the largest δ going back), so the formula is never abstract.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.mnist.inside import Backprop, LayerRecord

#: a = f(z) and f′(z) in words, for each kind of neuron.
FUNCTIONS = {
    "sigmoid": ("σ(z)", "a(1 − a)"),
    "relu": ("max(0, z)", "1, or 0 where off"),
    "tanh": ("tanh z", "1 − a²"),
    "linear": ("z", "1"),
    "softmax": ("eᶻ / Σ eᶻ", ""),
}


@dataclass(frozen=True)
class Stage:
    """One step of the walk-through and which views it fills."""

    title: str
    text: str
    forward: int = 0               # layers whose activations are shown (0: the input alone)
    cost: bool = False             # the target y and the cost are shown
    backward: int = 0              # layers whose δ is shown, counted from the output
    weight_gradient: bool = False  # the first layer's weight gradients replace the layer views


def slope(record: LayerRecord) -> np.ndarray:
    """f′(z) of a hidden layer's neurons, from what the record holds."""
    a, z = record.activation, record.weighted_input
    if record.function == "sigmoid":
        return a * (1 - a)
    if record.function == "relu":
        return (z > 0).astype(np.float64)
    if record.function == "tanh":
        return 1 - a ** 2
    return np.ones_like(z)


def walkthrough(trace: Backprop, labels: list[str]) -> list[Stage]:
    """Every stage of one example's pass (see the module docstring).

    The texts stay short (about four lines in projector mode) so the views below keep their room.
    """
    layers = trace.layers
    stages = [Stage("The input", "784 numbers from 0 (black) to 1 (white ink). Press Step to push them "
                                 "through the network, layer by layer.")]
    for index, record in enumerate(layers):
        stages.append(Stage(f"Forward: {record.name} ({record.activation.size} {record.function})",
                            _forward_text(trace, index, labels), forward=index + 1))
    stages.append(Stage("The cost: how wrong is the answer?", _cost_text(trace, labels),
                        forward=len(layers), cost=True))
    stages.append(Stage("Backward: δ at the output", _output_delta_text(trace, labels),
                        forward=len(layers), cost=True, backward=1))
    for index in range(len(layers) - 2, -1, -1):
        stages.append(Stage(f"Backward: δ in {layers[index].name}", _hidden_delta_text(trace, index),
                            forward=len(layers), cost=True, backward=len(layers) - index))
    stages.append(Stage("First-layer weight gradients",
                        "∂L/∂w = x·δ. Each picture is one neuron's −∂L/∂W: how a step would change its 784 "
                        "weights to make this answer more right (orange: grow, blue: shrink). No ink or no δ, "
                        "no change.",
                        forward=len(layers), cost=True, backward=len(layers), weight_gradient=True))
    return stages


def _forward_text(trace: Backprop, index: int, labels: list[str]) -> str:
    record = trace.layers[index]
    inputs = "the 784 pixels" if index == 0 else f"the {trace.layers[index - 1].activation.size} activations below"
    formula = FUNCTIONS.get(record.function, (record.function, ""))[0]
    if record.name == "output":
        k = trace.prediction
        z, a = record.weighted_input[k], record.activation[k]
        if record.function == "softmax":
            return (f"Each output: z = Σ w·a + b over {inputs}; softmax makes the scores probabilities, "
                    f"p = {formula}. The answer, {labels[k]}: z = {z:.3f}, p = {a:.3f}.")
        return (f"Each output: z = Σ w·a + b over {inputs}, then a = {formula}. The largest is the "
                f"answer, {labels[k]}: z = {z:.3f}, a = {a:.3f}.")
    j = int(np.argmax(record.activation))
    z, b, a = record.weighted_input[j], record.biases[j], record.activation[j]
    return (f"Each neuron: z = Σ w·x + b over {inputs}, then a = {formula}. Most active, neuron {j + 1}: "
            f"z = {z - b:.3f} + ({b:+.3f}) = {z:.3f}, a = {a:.3f}.")


def _cost_text(trace: Backprop, labels: list[str]) -> str:
    label, output = labels[trace.label], trace.layers[-1]
    if trace.cost in ("softmax_ce", "cce"):
        p = output.activation[trace.label]
        return (f"L = −log p of the label {label} = −log {p:.4g} = {trace.loss:.4g}: near 0 when sure and "
                "right, large when sure and wrong.")
    total = "Σ" if trace.cost == "sse" else "the mean of"
    return (f"The label {label} asks for y = 1 there and 0 elsewhere (the marks on the output bars): "
            f"L = {total} (a − y)² = {trace.loss:.4g}.")


def _output_delta_text(trace: Backprop, labels: list[str]) -> str:
    output, k = trace.layers[-1], trace.label
    delta = output.delta[k]
    meaning = "δ = ∂L/∂z: negative, the cost wants z up; positive, down. "
    if trace.cost in ("softmax_ce", "cce"):
        return meaning + (f"With softmax and cross-entropy δ = p − y; for {labels[k]}: "
                          f"{output.activation[k]:.3f} − 1 = {delta:.3g}, for the others their p.")
    if trace.cost == "sse" and output.function == "sigmoid":
        a = output.activation[k]
        text = meaning + (f"Here δ = 2(a − y)·a(1 − a); for {labels[k]}: 2·({a:.3f} − 1)·{a * (1 - a):.3g} "
                          f"= {delta:.3g}.")
        if a * (1 - a) < 0.01:
            text += " With a(1 − a) ≈ 0 this sigmoid barely learns."
        return text
    return meaning + f"For {labels[k]}: δ = {delta:.3g}."


def _hidden_delta_text(trace: Backprop, index: int) -> str:
    record = trace.layers[index]
    collected = record.activation_gradient             # Σ_k w_jk·δ_k for every neuron j
    slopes = slope(record)
    j = int(np.argmax(np.abs(record.delta)))
    formula = FUNCTIONS.get(record.function, ("", "f′(z)"))[1]
    text = (f"Each neuron gathers the δ above it, weighted by its connections, times its slope: "
            f"δ = (W·δ above) ⊙ f′(z), f′ = {formula}. Largest, neuron {j + 1}: "
            f"{collected[j]:.3g} × {slopes[j]:.3g} = {record.delta[j]:.3g}.")
    if record.function == "relu":
        off = int(np.sum(record.weighted_input <= 0))
        text += f" {off} of {record.delta.size} are off (z ≤ 0)."
    return text
