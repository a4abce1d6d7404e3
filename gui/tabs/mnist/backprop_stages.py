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
    "sigmoid": ("σ(z) = 1/(1 + e⁻ᶻ)", "a(1 − a)"),
    "relu": ("max(0, z)", "1 where z > 0, else 0"),
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


def _neurons(record: LayerRecord) -> str:
    return f"{record.activation.size} {record.function} neurons"


def walkthrough(trace: Backprop, labels: list[str]) -> list[Stage]:
    """Every stage of one example's pass (see the module docstring)."""
    layers = trace.layers
    stages = [Stage("The input",
                    "The digit as the network sees it: 784 numbers from 0 (black) to 1 (white ink). "
                    "Press Step to push them through the network, layer by layer.")]
    for index, record in enumerate(layers):
        stages.append(Stage(f"Forward: {record.name} ({_neurons(record)})",
                            _forward_text(trace, index, labels), forward=index + 1))
    stages.append(Stage("The cost: how wrong is the answer?", _cost_text(trace, labels),
                        forward=len(layers), cost=True))
    stages.append(Stage("Backward: δ at the output", _output_delta_text(trace, labels),
                        forward=len(layers), cost=True, backward=1))
    for index in range(len(layers) - 2, -1, -1):
        stages.append(Stage(f"Backward: δ in {layers[index].name}", _hidden_delta_text(trace, index),
                            forward=len(layers), cost=True, backward=len(layers) - index))
    stages.append(Stage("The first layer's weight gradients",
                        "∂L/∂w = x·δ. Each picture is one first-layer neuron's −∂L/∂W: how a gradient step "
                        "would change its 784 weights to make this answer more right (orange: grow, blue: "
                        "shrink). No ink or no δ, no change.",
                        forward=len(layers), cost=True, backward=len(layers), weight_gradient=True))
    return stages


def _forward_text(trace: Backprop, index: int, labels: list[str]) -> str:
    record = trace.layers[index]
    inputs = "the 784 pixels x" if index == 0 else f"the {trace.layers[index - 1].activation.size} activations below"
    formula = FUNCTIONS.get(record.function, (record.function, ""))[0]
    if record.name == "output":
        k = trace.prediction
        z, a = record.weighted_input[k], record.activation[k]
        if record.function == "softmax":
            return (f"Each output adds up {inputs} times its weights plus its bias, z = Σ w·a + b; softmax "
                    f"turns the ten scores into probabilities, p = {formula}. The answer is "
                    f"{labels[k]}: z = {z:.3f}, p = {a:.3f}.")
        return (f"Each output adds up {inputs} times its weights plus its bias, z = Σ w·a + b, then "
                f"a = {formula}. The answer is the largest: {labels[k]}, z = {z:.3f}, a = {a:.3f}.")
    j = int(np.argmax(record.activation))
    z, b, a = record.weighted_input[j], record.biases[j], record.activation[j]
    return (f"Each neuron adds up {inputs} times its weights, plus its bias: z = Σ w·x + b, and "
            f"a = {formula}. Most active, neuron {j + 1}: z = {z - b:.3f} + ({b:+.3f}) = {z:.3f}, a = {a:.3f}.")


def _cost_text(trace: Backprop, labels: list[str]) -> str:
    label, output = labels[trace.label], trace.layers[-1]
    if trace.cost in ("softmax_ce", "cce"):
        p = output.activation[trace.label]
        return (f"The cost is −log of the probability given to the label {label}: L = −log {p:.4g} = "
                f"{trace.loss:.4g}. Sure and right gives a cost near 0; sure and wrong, a large one.")
    total = "Σ" if trace.cost == "sse" else "the mean of"
    return (f"The cost compares the outputs a with what the label {label} asks for, y = 1 for {label} "
            f"and 0 for the others (marked on the output bars): L = {total} (a − y)² = {trace.loss:.4g}.")


def _output_delta_text(trace: Backprop, labels: list[str]) -> str:
    output, k = trace.layers[-1], trace.label
    delta = output.delta[k]
    meaning = "δ = ∂L/∂z: what the cost wants each output's z to do (negative: up, positive: down). "
    if trace.cost in ("softmax_ce", "cce"):
        return meaning + (f"For softmax with cross-entropy it is simply δ = p − y. For {labels[k]}: "
                          f"{output.activation[k]:.3f} − 1 = {delta:.3g}; every other output's δ is its own p.")
    if trace.cost == "sse" and output.function == "sigmoid":
        a = output.activation[k]
        text = meaning + (f"For squared error and sigmoid outputs δ = 2(a − y)·a(1 − a). For {labels[k]}: "
                          f"2·({a:.3f} − 1)·{a * (1 - a):.3g} = {delta:.3g}.")
        if a * (1 - a) < 0.01:
            text += " Its slope a(1 − a) is almost 0: a saturated sigmoid barely learns, however wrong it is."
        return text
    return meaning + f"For {labels[k]}: δ = {delta:.3g}."


def _hidden_delta_text(trace: Backprop, index: int) -> str:
    record = trace.layers[index]
    collected = record.activation_gradient             # Σ_k w_jk·δ_k for every neuron j
    slopes = slope(record)
    j = int(np.argmax(np.abs(record.delta)))
    formula = FUNCTIONS.get(record.function, ("", "f′(z)"))[1]
    text = (f"Each neuron gathers the δ of the neurons it feeds, weighted by the connections, times its "
            f"own slope f′ = {formula}: δ = (W·δ above) ⊙ f′(z). Largest, neuron {j + 1}: "
            f"{collected[j]:.3g} × {slopes[j]:.3g} = {record.delta[j]:.3g}.")
    if record.function == "relu":
        off = int(np.sum(record.weighted_input <= 0))
        text += f" Switched-off neurons pass nothing back: {off} of {record.delta.size} here."
    return text
