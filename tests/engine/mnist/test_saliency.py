"""Derivatives with respect to the input pixels, checked against central differences in float64."""

import numpy as np
import pytest

from engine.gradcheck import numerical_gradient, relative_error
from engine.mnist.inside import backprop
from engine.mnist.models import build_preset, load_pretrained
from engine.mnist.saliency import loss_gradients, score_gradients, smooth_score_gradient
from engine.network import build_mlp

TOLERANCE = 1e-6


def digits():
    """Two digit-like images: a bar and a ring (float64, 784 pixels each)."""
    bar = np.zeros((28, 28))
    bar[4:24, 13:15] = 1.0
    rows, cols = np.indices((28, 28))
    radius = np.hypot(rows - 14, cols - 14)
    ring = np.clip(1.5 - np.abs(radius - 7), 0, 1)
    return [bar.reshape(-1), ring.reshape(-1)]


def networks():
    """Every preset (shipped where there is a model, freshly initialised otherwise) in float64,
    and a network with a separate softmax layer: squared-error and both cross-entropy costs."""
    yield "3b1b", load_pretrained("3b1b").copy(np.float64)
    yield "relu", build_preset("relu", seed=2)[0].copy(np.float64)
    yield "wide", load_pretrained("wide").copy(np.float64)
    yield "cce", build_mlp([784, 12, 10], activation="tanh", loss="cce", init="xavier", seed=3)


@pytest.mark.parametrize("name,net", list(networks()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_input_gradient_of_the_cost_agrees_with_central_differences(name, net):
    for image in digits():
        answer = int(np.argmax(net.forward(image[None])))
        # A label the network does not give: against its own answer a trained network's cost can be
        # 1e-7, at the level of float64 round-off for any difference quotient (see check_gradients).
        label = (answer + 3) % 10
        x = image[None].copy()
        numeric, evaluations = numerical_gradient(lambda: net.loss_value(x, np.array([label])), x, 1e-5)
        analytic = loss_gradients(net, image, label)
        assert evaluations == 2 * 784
        assert relative_error(analytic, numeric) < TOLERANCE
        np.testing.assert_allclose(backprop(net, image, label).input_gradient, analytic[0], rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("name,net", list(networks()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_score_gradient_agrees_with_central_differences_for_the_answer(name, net):
    last_dense = max(i for i, layer in enumerate(net.layers) if layer in net.dense_layers)
    for image in digits():
        answer = int(np.argmax(net.forward(image[None])))
        x = image[None].copy()

        def score() -> float:
            z = x
            for layer in net.layers[:last_dense + 1]:
                z = layer.forward(z)
            return float(z[0, answer])

        numeric, _ = numerical_gradient(score, x, 1e-5)
        assert relative_error(score_gradients(net, image, answer), numeric) < TOLERANCE


def test_gradients_of_a_batch_are_each_images_own():
    net = load_pretrained("3b1b").copy(np.float64)
    images = np.stack(digits())
    labels = np.array([4, 9])
    together = loss_gradients(net, images, labels)
    for row, (image, label) in enumerate(zip(images, labels)):
        np.testing.assert_allclose(together[row], loss_gradients(net, image, label)[0], rtol=1e-12)
    np.testing.assert_allclose(score_gradients(net, images, 5)[1], score_gradients(net, images[1], 5)[0])


def test_smoothgrad_without_noise_is_the_plain_gradient_and_with_noise_is_the_mean_over_copies():
    net = load_pretrained("wide").copy(np.float64)
    image = digits()[0]
    plain = score_gradients(net, image, 1)[0]
    np.testing.assert_allclose(smooth_score_gradient(net, image, 1, noise=0.0, samples=3), plain, rtol=1e-12)
    smooth = smooth_score_gradient(net, image, 1, noise=0.2, samples=40, seed=5)
    copies = image + 0.2 * np.random.default_rng(5).standard_normal((40, 784))
    np.testing.assert_allclose(smooth, score_gradients(net, copies, 1).mean(axis=0), rtol=1e-12)
    # averaging smooths: neighbouring pixels differ less than in the raw map
    def roughness(values):
        grid = values.reshape(28, 28)
        return np.abs(np.diff(grid, axis=1)).mean() / np.abs(grid).mean()
    assert roughness(smooth) < roughness(plain)


def test_bad_requests_are_refused_in_words():
    net = load_pretrained("3b1b")
    image = digits()[0]
    with pytest.raises(ValueError, match="classes must be 0..9"):
        score_gradients(net, image, 10)
    with pytest.raises(ValueError, match="784 pixels"):
        loss_gradients(net, np.zeros(100), 1)
    with pytest.raises(ValueError, match="at least one sample"):
        smooth_score_gradient(net, image, 1, samples=0)
    with pytest.raises(ValueError, match="noise level"):
        smooth_score_gradient(net, image, 1, noise=-0.1)


def test_no_parameter_gradient_is_touched():
    net = load_pretrained("3b1b")
    for p in net.parameters():
        p.grad[...] = 7.0
    score_gradients(net, digits()[0], 1)
    loss_gradients(net, digits()[0], 1)
    assert all(np.all(p.grad == 7.0) for p in net.parameters())
