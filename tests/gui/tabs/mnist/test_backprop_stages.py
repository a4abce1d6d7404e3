"""The walk-through's stages: how many, what each reveals, and the example's numbers in its text."""

import numpy as np

from engine.mnist.inside import backprop
from engine.mnist.models import load_pretrained
from engine.network import build_mlp
from gui.tabs.mnist.backprop_stages import slope, walkthrough

LABELS = [str(d) for d in range(10)]


def one() -> np.ndarray:
    image = np.zeros((28, 28))
    image[4:24, 13:15] = 1.0
    return image


def test_forward_then_cost_then_backward_then_the_weight_gradients():
    trace = backprop(load_pretrained("3b1b").copy(np.float64), one(), 1)
    stages = walkthrough(trace, LABELS)
    assert len(stages) == 2 * 3 + 3
    assert [s.forward for s in stages] == [0, 1, 2, 3, 3, 3, 3, 3, 3]
    assert [s.backward for s in stages] == [0, 0, 0, 0, 0, 1, 2, 3, 3]
    assert [s.cost for s in stages] == [False] * 4 + [True] * 5
    assert [s.weight_gradient for s in stages] == [False] * 8 + [True]
    # the most active first-layer neuron, with its own numbers
    j = int(np.argmax(trace.layers[0].activation))
    assert f"neuron {j + 1}: z = " in stages[1].text
    assert f"= {trace.layers[0].weighted_input[j]:.3f}, a = {trace.layers[0].activation[j]:.3f}" in stages[1].text
    assert f"{trace.loss:.4g}" in stages[4].text
    assert f"{trace.layers[2].delta[1]:.3g}" in stages[5].text


def test_a_saturated_sigmoid_output_is_pointed_out():
    trace = backprop(load_pretrained("3b1b").copy(np.float64), one(), 7)   # a "1" asked to be a 7
    assert "this sigmoid barely learns" in walkthrough(trace, LABELS)[5].text


def test_softmax_and_relu_layers_get_their_own_formulas():
    net = load_pretrained("wide").copy(np.float64)
    trace = backprop(net, one(), 7)
    stages = walkthrough(trace, LABELS)
    assert "p − y" in stages[5].text and "−log" in stages[4].text
    off = int(np.sum(trace.layers[1].weighted_input <= 0))
    assert f"{off} of 128 are off (z ≤ 0)" in stages[6].text
    np.testing.assert_array_equal(slope(trace.layers[0]), trace.layers[0].weighted_input > 0)


def test_the_hidden_delta_is_the_collected_delta_times_the_slope():
    net = build_mlp([784, 6, 5, 10], activation="tanh", loss="mse", init="xavier", seed=2)
    trace = backprop(net, one(), 4)
    for index in (0, 1):
        record, above = trace.layers[index], trace.layers[index + 1]
        weights = net.dense_layers[index + 1].weights.value
        np.testing.assert_allclose(record.activation_gradient, weights @ above.delta, rtol=1e-12)
        np.testing.assert_allclose(record.delta, record.activation_gradient * slope(record), rtol=1e-12)
