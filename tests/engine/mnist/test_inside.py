"""One example's backpropagation, layer by layer: δ against a hand computation, the gradient step,
and the sampled check against central differences."""

import math

import numpy as np
import pytest

from engine.mnist.inside import backprop, check_gradients, gradient_step, neuron_layers
from engine.mnist.models import build_preset, load_pretrained
from engine.network import build_mlp


def tiny(activation: str, loss: str):
    """2 inputs → 2 hidden → 2 outputs with weights small enough to follow on paper."""
    net = build_mlp([2, 2, 2], activation=activation, loss=loss, seed=0)
    first, second = net.dense_layers
    first.weights.value[...] = [[0.5, -1.0], [2.0, 0.25]]
    first.biases.value[...] = [0.1, -0.2]
    second.weights.value[...] = [[1.5, -0.5], [-2.0, 1.0]]
    second.biases.value[...] = [0.0, 0.3]
    return net


def sigma(z):
    return 1 / (1 + math.exp(-z))


def test_every_delta_of_the_sigmoid_squared_error_network_matches_the_hand_computation():
    net = tiny("sigmoid", "sse")
    x1, x2, label = 0.8, 0.3, 1
    # forward, neuron by neuron
    z1 = [x1 * 0.5 + x2 * 2.0 + 0.1, x1 * -1.0 + x2 * 0.25 - 0.2]
    a1 = [sigma(z) for z in z1]
    z2 = [a1[0] * 1.5 + a1[1] * -2.0 + 0.0, a1[0] * -0.5 + a1[1] * 1.0 + 0.3]
    a2 = [sigma(z) for z in z2]
    y = [0.0, 1.0]
    loss = (a2[0] - y[0]) ** 2 + (a2[1] - y[1]) ** 2
    # backward: δ at the output from the cost, then through W2 and σ′
    d2 = [2 * (a2[k] - y[k]) * a2[k] * (1 - a2[k]) for k in range(2)]
    d1 = [(d2[0] * [1.5, -2.0][j] + d2[1] * [-0.5, 1.0][j]) * a1[j] * (1 - a1[j]) for j in range(2)]

    record = backprop(net, np.array([x1, x2]), label)
    hidden, output = record.layers
    assert record.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(hidden.weighted_input, z1, rtol=1e-12)
    np.testing.assert_allclose(hidden.activation, a1, rtol=1e-12)
    np.testing.assert_allclose(output.activation, a2, rtol=1e-12)
    np.testing.assert_allclose(output.delta, d2, rtol=1e-12)
    np.testing.assert_allclose(hidden.delta, d1, rtol=1e-12)
    # what the output layer sends back to each hidden neuron, before its own slope
    np.testing.assert_allclose(hidden.activation_gradient,
                               [d2[0] * 1.5 + d2[1] * -0.5, d2[0] * -2.0 + d2[1] * 1.0], rtol=1e-12)
    np.testing.assert_allclose(hidden.weight_gradient, [[x1 * d1[0], x1 * d1[1]], [x2 * d1[0], x2 * d1[1]]], rtol=1e-12)
    np.testing.assert_allclose(output.weight_gradient, np.outer(a1, d2), rtol=1e-12)
    np.testing.assert_allclose(output.bias_gradient, d2, rtol=1e-12)
    np.testing.assert_allclose(record.input_gradient,
                               [d1[0] * 0.5 + d1[1] * -1.0, d1[0] * 2.0 + d1[1] * 0.25], rtol=1e-12)
    assert [layer.name for layer in record.layers] == ["hidden 1", "output"]
    assert [layer.function for layer in record.layers] == ["sigmoid", "sigmoid"]


def test_the_softmax_output_delta_is_p_minus_y_and_relu_blocks_the_negative_neuron():
    net = tiny("relu", "softmax_ce")
    x = np.array([0.8, 0.3])
    z1 = np.array([0.8 * 0.5 + 0.3 * 2.0 + 0.1, 0.8 * -1.0 + 0.3 * 0.25 - 0.2])   # second one < 0
    a1 = np.maximum(z1, 0)
    z2 = np.array([a1[0] * 1.5, a1[0] * -0.5 + 0.3])
    p = np.exp(z2) / np.exp(z2).sum()
    record = backprop(net, x, 0)
    hidden, output = record.layers
    np.testing.assert_allclose(output.activation, p, rtol=1e-12)           # the cost reads probabilities
    np.testing.assert_allclose(output.delta, p - [1, 0], rtol=1e-12)
    assert output.function == "softmax" and hidden.function == "relu"
    assert hidden.delta[1] == 0.0                                           # the switched-off neuron
    assert hidden.delta[0] == pytest.approx((p[0] - 1) * 1.5 + p[1] * -0.5, rel=1e-12)
    assert record.loss == pytest.approx(-math.log(p[0]), rel=1e-12)


def test_a_record_of_a_shipped_model_describes_every_layer_and_leaves_the_weights_alone():
    net = load_pretrained("3b1b")
    before = net.get_weights()
    image = np.zeros((28, 28), dtype=np.float32)
    image[4:24, 13:15] = 1.0                                                # a plain "1"
    record = backprop(net, image, 1)
    assert [layer.name for layer in record.layers] == ["hidden 1", "hidden 2", "output"]
    assert [layer.activation.size for layer in record.layers] == [16, 16, 10]
    assert record.layers[0].weight_gradient.shape == (784, 16)
    assert record.prediction == 1 and record.probabilities.sum() == pytest.approx(1.0)
    assert [row["name"] for row in record.norms()] == ["input", "hidden 1", "hidden 2", "output"]
    assert all(row["delta_norm"] > 0 for row in record.norms())
    # no ink, no first-layer gradient: ∂L/∂w = x·δ
    assert np.all(record.layers[0].weight_gradient[image.reshape(-1) == 0] == 0)
    for kept, now in zip(before, net.get_weights()):
        np.testing.assert_array_equal(kept, now)


def test_neuron_layers_group_a_trailing_softmax_layer_with_its_dense_layer():
    net = build_mlp([4, 3, 2], activation="tanh", loss="cce", seed=0)
    assert [(g.name, g.function, len(g.activations)) for g in neuron_layers(net)] == [
        ("hidden 1", "tanh", 1), ("output", "softmax", 1)]


def test_bad_labels_and_inputs_are_refused_in_words():
    net = tiny("sigmoid", "sse")
    with pytest.raises(ValueError, match="label must be a class 0..1"):
        backprop(net, np.zeros(2), 2)
    with pytest.raises(ValueError, match="784 pixels"):
        backprop(net, np.zeros(3), 0)
    with pytest.raises(ValueError, match="at least one weight"):
        check_gradients(net, np.zeros(2), 0, count=0)


def test_one_gradient_step_lowers_the_cost_on_a_copy_and_leaves_the_model_alone():
    net = load_pretrained("3b1b")
    before = net.get_weights()
    image = np.zeros((28, 28))
    image[4:24, 13:15] = 1.0
    old = backprop(net, image, 7)
    stepped = gradient_step(net, image, 7, 0.5)
    assert backprop(stepped, image, 7).loss < old.loss
    for kept, now in zip(before, net.get_weights()):
        np.testing.assert_array_equal(kept, now)
    # exactly w − η·∂L/∂w
    np.testing.assert_allclose(stepped.dense_layers[0].weights.value,
                               before[0] - 0.5 * old.layers[0].weight_gradient, rtol=1e-5, atol=1e-7)


def test_a_step_towards_a_new_label_raises_its_softmax_probability_but_not_a_saturated_sigmoid():
    image = np.zeros((28, 28))
    image[4:24, 13:15] = 1.0                                    # a "1", taught to be a "7"
    wide = load_pretrained("wide").copy(np.float64)
    assert backprop(gradient_step(wide, image, 7, 0.01), image, 7).probabilities[7] > 0.5
    # The 3b1b output for 7 sits at σ ≈ 0.00006, where σ′ ≈ 0: its δ is tiny, the step mostly
    # lowers the wrong output "1", and the output for 7 even drops (the lesson text says so).
    sigmoid = load_pretrained("3b1b").copy(np.float64)
    old = backprop(sigmoid, image, 7)
    new = backprop(gradient_step(sigmoid, image, 7, 0.5), image, 7)
    assert new.loss < old.loss
    assert abs(old.layers[-1].delta[7]) < abs(old.layers[-1].delta[1]) / 100
    assert new.layers[-1].activation[1] < old.layers[-1].activation[1]
    assert new.layers[-1].activation[7] < old.layers[-1].activation[7]


@pytest.mark.parametrize("preset", ["3b1b", "relu", "wide"])
def test_backpropagation_agrees_with_central_differences_on_a_sample_of_weights(preset):
    net = build_preset(preset, seed=1)[0]
    image = np.random.default_rng(3).random(784) * (np.random.default_rng(4).random(784) < 0.3)
    check = check_gradients(net, image, 3, count=60, seed=0)
    assert check.weights_checked == 60 and check.parameters == net.parameter_count()
    assert check.relative_error < 1e-6
    assert check.backprop_seconds > 0 and check.numerical_seconds > 0
    assert check.numerical_seconds_all == pytest.approx(check.numerical_seconds / 60 * check.parameters)


def test_a_check_of_more_weights_than_a_tiny_network_has_checks_them_all():
    net = tiny("sigmoid", "sse")
    assert check_gradients(net, np.array([0.8, 0.3]), 1, count=1000).weights_checked == 12
