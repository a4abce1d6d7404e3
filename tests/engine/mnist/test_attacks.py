"""The gradient attack against random noise of the same size, digit by digit and over a test set."""

import numpy as np
import pytest

from engine.mnist import load_split
from engine.mnist.attacks import (AttackCurve, attack_curve, check_epsilons, gradient_signs, iter_attack_curve,
                                  push, random_signs)
from engine.mnist.models import load_pretrained
from engine.mnist.saliency import loss_gradients


@pytest.fixture(scope="module")
def test_digits(mnist_dir):
    images, labels = load_split(mnist_dir, "test")
    return images[:1000], labels[:1000]


def test_both_pushes_move_every_pixel_by_epsilon_and_stay_in_range():
    rng = np.random.default_rng(0)
    images = rng.random((5, 784), dtype=np.float32)
    net = load_pretrained("3b1b")
    towards = gradient_signs(net, images, 3)
    np.testing.assert_array_equal(towards, np.sign(loss_gradients(net, images, 3)))
    blind = random_signs(5, seed=1)
    assert set(np.unique(blind)) == {-1.0, 1.0} and blind.dtype == np.float32
    np.testing.assert_array_equal(blind, random_signs(5, seed=1))       # seeded
    for direction in (towards, blind):
        pushed = push(images, direction, 0.1)
        assert pushed.dtype == np.float32 and pushed.min() >= 0 and pushed.max() <= 1
        moved = np.abs(pushed - images)
        inside = (images + 0.1 * direction >= 0) & (images + 0.1 * direction <= 1)
        np.testing.assert_allclose(moved[inside & (direction != 0)], 0.1, atol=1e-6)


def test_the_gradient_attack_raises_the_cost_far_more_than_random_noise():
    net = load_pretrained("wide")
    image = np.zeros((28, 28), dtype=np.float32)
    image[4:24, 13:15] = 1.0
    x = image.reshape(1, 784)
    label = np.array([1])
    clean = net.loss_value(x, label)
    attacked = net.loss_value(push(x, gradient_signs(net, x, label), 0.05), label)
    noisy = net.loss_value(push(x, random_signs(1, seed=0), 0.05), label)
    assert attacked > 100 * max(clean, noisy - clean, 1e-6)


def test_at_epsilon_0_1_the_gradient_attack_leaves_less_than_half_of_what_random_noise_leaves(test_digits):
    images, labels = test_digits
    curve = attack_curve(load_pretrained("wide"), images, labels, [0.0, 0.1], seed=0)
    clean, attacked, noisy = curve.accuracy_gradient[0], curve.accuracy_gradient[1], curve.accuracy_random[1]
    assert curve.accuracy_random[0] == clean > 0.95
    # measured on these 1,000 digits: 0.18 against 0.97
    assert attacked < 0.5 * noisy
    assert noisy > 0.9 and attacked < 0.3


def test_the_curve_is_measured_batch_by_batch_and_can_be_stopped(test_digits):
    images, labels = test_digits
    net = load_pretrained("3b1b")
    steps = iter_attack_curve(net, images[:300], labels[:300], [0, 0.05, 0.2], seed=4, batch=100)
    first = next(steps)
    assert isinstance(first, AttackCurve) and (first.done, first.count) == (100, 300)
    steps.close()                                            # stopping is simply not asking for more
    whole = attack_curve(net, images[:300], labels[:300], [0, 0.05, 0.2], seed=4, batch=100)
    again = attack_curve(net, images[:300], labels[:300], [0, 0.05, 0.2], seed=4, batch=100)
    assert whole == again and whole.done == 300
    assert whole.as_dict() == {"epsilons": [0.0, 0.05, 0.2], "accuracy_gradient": whole.accuracy_gradient,
                               "accuracy_random": whole.accuracy_random, "count": 300}
    # accuracy on the first batch alone is what the curve said after that batch
    part = attack_curve(net, images[:100], labels[:100], [0, 0.05, 0.2], seed=4, batch=100)
    assert part.accuracy_gradient == first.accuracy_gradient
    assert all(g <= r for g, r in zip(whole.accuracy_gradient, whole.accuracy_random))
    assert whole.accuracy_gradient[2] < whole.accuracy_gradient[1] < whole.accuracy_gradient[0]


def test_a_model_with_a_not_a_digit_output_is_attacked_like_any_other():
    from engine.network import build_mlp
    net = build_mlp([784, 8, 11], activation="relu", loss="softmax_ce", seed=0)
    images = np.random.default_rng(1).random((20, 784), dtype=np.float32)
    curve = attack_curve(net, images, np.full(20, 10), [0, 0.1])
    assert len(curve.accuracy_gradient) == 2 and curve.done == 20


def test_bad_epsilons_and_data_are_refused_in_words():
    assert check_epsilons([0, "0.1"]) == [0.0, 0.1]
    for bad, words in (([], "at least one"), ([0.1, 1.5], "between 0 and 1"), ([float("nan")], "between 0 and 1"),
                       ([-0.1], "between 0 and 1")):
        with pytest.raises(ValueError, match=words):
            check_epsilons(bad)
    net = load_pretrained("3b1b")
    with pytest.raises(ValueError, match="matching, non-empty"):
        attack_curve(net, np.zeros((3, 784)), np.zeros(2), [0.1])
