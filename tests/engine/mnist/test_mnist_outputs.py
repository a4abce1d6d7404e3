"""What a network says about an image: probabilities for every kind of output, one-pass readings."""

import numpy as np
import pytest

from engine.mnist.models import build_preset
from engine.mnist.outputs import (class_probabilities, classify_drawing, output_scores, read_image,
                                  top_digit_probability)
from engine.network import build_mlp


def test_bars_of_a_sigmoid_network_are_shares_that_sum_to_one():
    net = build_mlp([784, 8, 10], activation="sigmoid", loss="sse", init="xavier", seed=4)
    images = np.random.default_rng(0).random((5, 784))
    raw = output_scores(net, images)                 # independent sigmoid outputs
    np.testing.assert_allclose(raw, net.predict_proba(images))
    assert not np.allclose(raw.sum(axis=1), 1.0)
    p = class_probabilities(net, images)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p, raw / raw.sum(axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_array_equal(np.argmax(p, axis=1), np.argmax(raw, axis=1))


def test_class_probabilities_sum_to_one_for_sigmoid_and_softmax_nets():
    rng = np.random.default_rng(1)
    images = rng.random((50, 784), dtype=np.float32)
    for net in (build_preset("3b1b", seed=0)[0], build_preset("relu", seed=0)[0]):
        probabilities = class_probabilities(net, images, batch=16)
        assert probabilities.shape == (50, 10)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
        np.testing.assert_array_equal(np.argmax(probabilities, axis=1), net.predict(images))
    with pytest.raises(ValueError, match=r"\(N, 784\)"):
        class_probabilities(net, np.zeros((3, 28, 28)))


def test_a_reading_holds_each_hidden_layer_and_the_same_probabilities_as_the_batch_functions():
    net = build_mlp([784, 16, 8, 10], activation="sigmoid", loss="sse", init="xavier", seed=1)
    image = np.random.default_rng(2).random(784)
    reading = read_image(net, image.reshape(28, 28))
    first, second = reading.hidden
    dense = net.dense_layers
    h1 = 1 / (1 + np.exp(-(image @ dense[0].weights.value + dense[0].biases.value)))
    h2 = 1 / (1 + np.exp(-(h1 @ dense[1].weights.value + dense[1].biases.value)))
    np.testing.assert_allclose(first, h1, rtol=1e-6)
    np.testing.assert_allclose(second, h2, rtol=1e-6)
    np.testing.assert_allclose(reading.scores, output_scores(net, image[None])[0], rtol=1e-6)
    np.testing.assert_allclose(reading.probabilities, class_probabilities(net, image[None])[0], rtol=1e-6)
    assert reading.answer == int(np.argmax(reading.scores))


def test_a_reading_costs_one_forward_pass_through_each_layer():
    net = build_preset("relu", seed=0)[0]
    calls = []
    for layer in net.layers:
        real = layer.forward
        layer.forward = lambda x, real=real, layer=layer: calls.append(layer) or real(x)
    reading = read_image(net, np.random.default_rng(0).random(784))
    assert calls == net.layers                       # every layer once, in order
    assert [h.size for h in reading.hidden] == [16, 16]
    assert reading.probabilities.sum() == pytest.approx(1.0)


def test_top_digit_probability_leaves_the_not_a_digit_class_out():
    p = np.array([[0.05] * 10 + [0.5], [0.91] + [0.01] * 9 + [0.0]])
    np.testing.assert_allclose(top_digit_probability(p), [0.05, 0.91])


def test_classify_drawing_uses_the_preprocessing():
    net = build_mlp([784, 10], activation="relu", seed=0, dtype=np.float32)
    canvas = np.zeros((200, 200))
    canvas[40:160, 90:110] = 1.0  # a "1"
    result = classify_drawing(net, canvas)
    assert result["image"].shape == (28, 28)
    assert len(result["probabilities"]) == 10 and sum(result["probabilities"]) == pytest.approx(1, abs=1e-5)
    assert result["prediction"] == int(np.argmax(result["probabilities"]))
    empty = classify_drawing(net, np.zeros((200, 200)))
    assert empty == {"prediction": None, "probabilities": [], "image": None}
