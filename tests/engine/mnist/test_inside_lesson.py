"""Anchors for the "Inside the network" section of assets/lessons/mnist.md: every figure and every
"try this" it states, on the shipped models and the real test digits (test digit #0 is a 7)."""

import numpy as np
import pytest

from engine.mnist import load_split
from engine.mnist.attacks import attack_curve, gradient_signs, push, random_signs
from engine.mnist.inside import backprop, check_gradients, gradient_step
from engine.mnist.models import load_pretrained
from engine.mnist.outputs import class_probabilities


@pytest.fixture(scope="module")
def test_set(mnist_dir):
    return load_split(mnist_dir, "test")


@pytest.fixture(scope="module")
def seven(test_set):
    images, labels = test_set
    assert labels[0] == 7
    return images[0].astype(np.float64)


def models():
    return {name: load_pretrained(name).copy(np.float64) for name in ("3b1b", "wide")}


def test_1_asked_to_be_a_3_the_3_has_a_negative_delta_and_the_7_a_positive_one(seven):
    for network in models().values():
        output = backprop(network, seven, 3).layers[-1]
        assert output.delta[3] < 0 < output.delta[7]


def test_2_backpropagation_and_central_differences_agree_to_about_1e_9(seven):
    check = check_gradients(load_pretrained("3b1b"), seven, 3)
    assert check.parameters == 13_002 and check.relative_error < 1e-8
    assert check.backprop_seconds < 0.01     # "under a millisecond" on a quiet machine; slack for a busy one
    assert check.numerical_seconds_all > 1000 * check.backprop_seconds    # "thousands of times longer"


def test_3_one_step_barely_moves_3b1b_and_turns_the_wide_network_round(seven):
    networks = models()
    before = backprop(networks["3b1b"], seven, 3)
    after = backprop(gradient_step(networks["3b1b"], seven, 3, 2.0), seven, 3)
    assert after.loss < before.loss and after.prediction == 7
    wide = backprop(gradient_step(networks["wide"], seven, 3, 0.01), seven, 3)
    assert wide.prediction == 3 and wide.probabilities[3] > 0.99


def test_4_at_epsilon_0_1_the_gradient_push_makes_the_7_a_3_and_the_random_one_does_not(seven):
    blind = random_signs(1, seed=0)          # the page's random pattern (seed 0)
    for network in models().values():
        x = seven.reshape(1, -1)
        pushed = np.concatenate([push(x, gradient_signs(network, x, 7), 0.1), push(x, blind, 0.1)])
        answers = class_probabilities(network, pushed).argmax(axis=1)
        assert list(answers) == [3, 7]


@pytest.mark.parametrize("name, attacked, noisy, clean", [("wide", 0.23, 0.97, 0.98), ("3b1b", 0.50, 0.86, 0.95)])
def test_5_accuracy_left_at_epsilon_0_1_on_the_whole_test_set(test_set, name, attacked, noisy, clean):
    images, labels = test_set
    curve = attack_curve(load_pretrained(name), images, labels, [0.0, 0.1], seed=0)
    assert curve.accuracy_gradient[1] == pytest.approx(attacked, abs=0.006)
    assert curve.accuracy_random[1] == pytest.approx(noisy, abs=0.006)
    assert curve.accuracy_gradient[0] == pytest.approx(clean, abs=0.006)
