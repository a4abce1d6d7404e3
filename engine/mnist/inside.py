"""Backpropagation for one image, kept layer by layer instead of thrown away after the update.

Training runs forward and backward millions of times and keeps only the weight gradients. To
*see* backpropagation, one example's pass is recorded: for every layer of neurons ℓ

    forward    zˡ = aˡ⁻¹·Wˡ + bˡ          aˡ = f(zˡ)            (a⁰ = x, the 784 pixels)
    cost       L(a_out, y)                                     (y: the label, one-hot)
    backward   δˡ = ∂L/∂zˡ                at the output from the cost, below it
               δˡ = (δˡ⁺¹·Wˡ⁺¹ᵀ) ⊙ f′(zˡ)  (the chain rule, one layer at a time)
               ∂L/∂Wˡ = aˡ⁻¹ᵀ·δˡ          ∂L/∂bˡ = δˡ            ∂L/∂x = δ¹·W¹ᵀ

δ is what the cost wants each neuron's weighted input to do: negative means "more", positive
"less". The numbers come from the network's own layers (the same code that trains it), so the
walk-through shows what training really computes. Also here: one gradient step on the example
(on a copy), and backpropagation checked against central differences for a sample of weights,
the Derivatives lesson's method, with the time each took.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from engine.gradcheck import iter_numerical_gradient, relative_error
from engine.layers import Dense, Layer, as_generator
from engine.loops import drive
from engine.losses import one_hot
from engine.mnist.outputs import as_shares
from engine.network import Network
from engine.optimizers import make_optimizer


@dataclass(frozen=True)
class NeuronLayer:
    """A layer of neurons: one Dense layer and the activation layers that follow it."""

    name: str                  # "hidden 1", "hidden 2", ..., "output"
    dense: Dense
    activations: tuple[Layer, ...]
    function: str              # the f in a = f(z): "sigmoid", "relu", "softmax", "linear", ...


def neuron_layers(network: Network) -> list[NeuronLayer]:
    """The network grouped into layers of neurons, the way the lesson draws it."""
    groups: list[tuple[Dense, list[Layer]]] = []
    for layer in network.layers:
        if isinstance(layer, Dense):
            groups.append((layer, []))
        elif not groups:
            raise ValueError(f"the network starts with {type(layer).__name__}, not with a Dense layer")
        else:
            groups[-1][1].append(layer)
    result = []
    for index, (dense, activations) in enumerate(groups):
        last = index == len(groups) - 1
        if activations:
            function = type(activations[-1]).__name__.lower()
        else:
            function = "softmax" if last and network.loss.takes_logits else "linear"
        result.append(NeuronLayer("output" if last else f"hidden {index + 1}", dense, tuple(activations), function))
    return result


@dataclass(frozen=True)
class LayerRecord:
    """One layer of neurons during one example's pass (float64 copies, safe to hand around)."""

    name: str
    function: str
    weighted_input: np.ndarray   # z, shape (neurons,)
    activation: np.ndarray       # a = f(z); for the output, what the cost reads (softmax probabilities)
    delta: np.ndarray            # δ = ∂L/∂z, shape (neurons,)
    weight_gradient: np.ndarray  # ∂L/∂W, shape (inputs, neurons)
    bias_gradient: np.ndarray    # ∂L/∂b, shape (neurons,)
    activation_gradient: np.ndarray  # ∂L/∂a: what the layer above sends back, Σ_k w_jk·δ_k (neurons,)
    biases: np.ndarray           # b, to show the formula with the numbers in it


@dataclass(frozen=True)
class Backprop:
    """One example's forward and backward pass, every layer of neurons recorded."""

    image: np.ndarray            # x, shape (784,) for a digit network
    label: int                   # the answer the cost asks for
    target: np.ndarray           # y, one-hot, shape (classes,)
    loss: float
    cost: str                    # the loss's name: "sse", "softmax_ce", ...
    layers: list[LayerRecord]
    input_gradient: np.ndarray   # ∂L/∂x, the same shape as x
    probabilities: np.ndarray    # the answer's bars, summing to 1 (as in engine.mnist.outputs)

    @property
    def prediction(self) -> int:
        return int(np.argmax(self.probabilities))

    def norms(self) -> list[dict]:
        """How big each layer's signal and error are: ‖a‖ and ‖δ‖ per layer, input first (its
        "δ" is ∂L/∂x). What `mnist backprop` prints."""
        rows = [{"name": "input", "activation_norm": float(np.linalg.norm(self.image)),
                 "delta_norm": float(np.linalg.norm(self.input_gradient))}]
        rows += [{"name": record.name, "activation_norm": float(np.linalg.norm(record.activation)),
                  "delta_norm": float(np.linalg.norm(record.delta))} for record in self.layers]
        return rows


def _single(network: Network, image: np.ndarray) -> np.ndarray:
    x = np.asarray(image, dtype=network.dtype)
    inputs = network.layer_sizes[0]
    if x.size != inputs:
        raise ValueError(f"expected one input of {inputs} values (an image of 784 pixels), got {x.size}")
    return x.reshape(1, inputs)


def _check_label(network: Network, label: int) -> int:
    classes = network.layer_sizes[-1]
    if not 0 <= int(label) < classes:
        raise ValueError(f"the label must be a class 0..{classes - 1} of this network, got {label}")
    return int(label)


def backprop(network: Network, image: np.ndarray, label: int) -> Backprop:
    """Record the forward and backward pass of one image (784 pixels, any shape; any network's
    input size in general) against `label`.

    Leaves the network's parameter gradients filled in, exactly as a training step would, and
    changes no weight.
    """
    label = _check_label(network, label)
    x = _single(network, image)
    layers = neuron_layers(network)
    weighted, activations = [], []
    a = x
    for layer in layers:
        z = layer.dense.forward(a)
        a = z
        for activation in layer.activations:
            a = activation.forward(a)
        weighted.append(z)
        activations.append(a)
    output = a
    labels = np.array([label])
    loss = network.loss.forward(output, labels)
    grad = network.loss.backward(output, labels)
    records: list[LayerRecord] = []
    for index in range(len(layers) - 1, -1, -1):
        layer = layers[index]
        sent_back = grad
        for activation in reversed(layer.activations):
            grad = activation.backward(grad)
        delta = grad
        grad = layer.dense.backward(delta)
        shown = network.output_probabilities(activations[index]) if layer.name == "output" else activations[index]
        # backward() leaves a new gradient array each time: it can be kept without a copy
        records.append(LayerRecord(
            layer.name, layer.function, _row(weighted[index]), _row(shown), _row(delta),
            layer.dense.weights.grad.astype(np.float64, copy=False),
            layer.dense.biases.grad.astype(np.float64), _row(sent_back),
            layer.dense.biases.value.astype(np.float64)))
    records.reverse()
    scores = network.output_probabilities(output)
    return Backprop(_row(x), label, one_hot(labels, output.shape[1])[0], float(loss), network.loss.name,
                    records, _row(grad), _row(as_shares(network, scores)))


def _row(array: np.ndarray) -> np.ndarray:
    return np.array(array[0], dtype=np.float64)


def gradient_step(network: Network, image: np.ndarray, label: int, learning_rate: float) -> Network:
    """A copy of `network` after one plain gradient step on this one example: w ← w − η·∂L/∂w.

    The original is untouched, so the step can be undone by going back to it.
    """
    twin = network.copy()
    x = _single(twin, image)
    twin.loss_and_gradients(x, np.array([_check_label(twin, label)]))
    make_optimizer("sgd", twin.parameters(), learning_rate=learning_rate).step()
    return twin


@dataclass(frozen=True)
class GradientCheck:
    """Backpropagation against central differences on a sample of the weights (float64)."""

    weights_checked: int
    parameters: int
    relative_error: float         # ‖backprop − numerical‖ / (‖backprop‖ + ‖numerical‖) over the sample
    backprop_seconds: float       # one forward and one backward pass (best of 5): every gradient at once
    numerical_seconds: float      # two forward passes per checked weight

    @property
    def numerical_seconds_all(self) -> float:
        """What central differences would take for every parameter, at the measured rate."""
        return self.numerical_seconds / max(self.weights_checked, 1) * self.parameters


def _spread(count: int, sizes: list[int]) -> list[int]:
    """`count` picks shared as evenly as the sizes allow (a small array gives up what it lacks)."""
    shares = [0] * len(sizes)
    left = min(count, sum(sizes))
    for rank, index in enumerate(sorted(range(len(sizes)), key=sizes.__getitem__)):
        shares[index] = min(sizes[index], left // (len(sizes) - rank))
        left -= shares[index]
    return shares


BACKPROP_TIMINGS = 5
#: The step of the difference quotient. Central differences err by ε² (truncation) plus round-off of
#: about 1e-16/ε; the sum is smallest near ε = 1e-5 (the Derivatives lesson's error plot shows the same).
CHECK_STEP = 1e-5


def check_gradients(network: Network, image: np.ndarray, label: int, count: int = 100,
                    seed: int | np.random.Generator = 0, eps: float = CHECK_STEP) -> GradientCheck:
    """Compare backpropagation's ∂L/∂w for one example with (L(w+ε) − L(w−ε))/2ε for `count`
    weights and biases picked at random, spread evenly over the parameter arrays.

    Runs on a float64 copy (float32 round-off would swamp the differences). The relative error is
    taken over the whole sample at once (gradcheck.relative_error), so that a weight whose gradient
    is nearly zero, where any difference quotient is mostly round-off, cannot hide agreement. When the
    network is already sure of `label`, the cost and all its gradients are tiny (1e-7 and below)
    and round-off limits the agreement to about 1e-4: a fact about difference quotients, not a bug.
    """
    if count < 1:
        raise ValueError(f"check at least one weight, got {count}")
    net = network.copy(np.float64)
    x = _single(net, image)
    y = np.array([_check_label(net, label)])
    backprop_seconds = float("inf")
    for _ in range(BACKPROP_TIMINGS):   # the best of a few: one pass is too short to time once
        started = time.perf_counter()
        net.loss_and_gradients(x, y)
        backprop_seconds = min(backprop_seconds, time.perf_counter() - started)
    rng = as_generator(seed)
    params = net.parameters()
    analytic, numeric, numerical_seconds = [], [], 0.0
    for p, share in zip(params, _spread(count, [p.size for p in params])):
        picked = rng.choice(p.size, size=share, replace=False)
        started = time.perf_counter()
        quotients, _ = drive(iter_numerical_gradient(lambda: net.loss_value(x, y), p.value, eps, indices=picked))
        numerical_seconds += time.perf_counter() - started
        analytic.append(p.grad.reshape(-1)[picked])
        numeric.append(quotients.reshape(-1)[picked])
    analytic, numeric = np.concatenate(analytic), np.concatenate(numeric)
    return GradientCheck(analytic.size, net.parameter_count(), relative_error(analytic, numeric),
                         backprop_seconds, numerical_seconds)
