"""Backpropagation against central differences: every layer, activation, loss and whole networks."""

import numpy as np
import pytest

from engine.activations import ReLU, Sigmoid, Softmax, Tanh
from engine.gradcheck import (check_layer, check_loss, check_network, iter_numerical_gradient, numerical_gradient,
                              relative_error)
from engine.loops import drive
from engine.layers import Dense
from engine.losses import CategoricalCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, SumSquaredError
from engine.activations import softmax
from engine.network import build_mlp

TOLERANCE = 1e-6


@pytest.fixture
def x():
    return np.random.default_rng(1).standard_normal((5, 4))


@pytest.mark.parametrize("init", ["small", "xavier", "he"])
def test_dense_backward_matches_numerical(x, init):
    assert check_layer(Dense(4, 3, init=init, rng=2), x) < TOLERANCE


@pytest.mark.parametrize("layer", [ReLU(), Sigmoid(), Tanh(), Softmax()], ids=lambda l: type(l).__name__)
def test_activation_backward_matches_numerical(x, layer):
    assert check_layer(layer, x) < TOLERANCE


LABELS = np.array([0, 2, 1, 1, 0])


@pytest.mark.parametrize("loss, output", [
    (MeanSquaredError(), np.random.default_rng(3).standard_normal((5, 3))),
    (SumSquaredError(), np.random.default_rng(3).random((5, 3))),
    (CategoricalCrossEntropy(), softmax(np.random.default_rng(3).standard_normal((5, 3)))),
    (SoftmaxCrossEntropy(), np.random.default_rng(3).standard_normal((5, 3))),
], ids=lambda v: type(v).__name__ if not isinstance(v, np.ndarray) else "")
@pytest.mark.parametrize("one_hot", [False, True])
def test_loss_gradient_matches_numerical(loss, output, one_hot):
    target = np.eye(3)[LABELS] if one_hot else LABELS
    assert check_loss(loss, output.copy(), target) < TOLERANCE


def test_regression_mse_gradient_matches_numerical():
    out = np.random.default_rng(4).standard_normal((7, 1))
    assert check_loss(MeanSquaredError(), out, np.linspace(0, 1, 7)) < TOLERANCE


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["softmax_ce", "cce", "sse", "mse"])
def test_whole_network_backprop_matches_numerical(activation, loss):
    net = build_mlp([4, 6, 5, 3], activation, loss, init="xavier", seed=5)
    x = np.random.default_rng(6).standard_normal((8, 4))
    y = np.random.default_rng(7).integers(0, 3, 8)
    assert check_network(net, x, y) < TOLERANCE


def test_fused_softmax_cross_entropy_gradient_is_p_minus_y_over_n():
    z = np.random.default_rng(8).standard_normal((4, 3))
    y = np.array([2, 0, 1, 2])
    expected = (softmax(z) - np.eye(3)[y]) / 4
    assert np.allclose(SoftmaxCrossEntropy().backward(z, y), expected)


def test_fused_loss_equals_softmax_then_cross_entropy():
    z = np.random.default_rng(9).standard_normal((6, 4))
    y = np.array([0, 1, 2, 3, 0, 1])
    assert SoftmaxCrossEntropy().forward(z, y) == pytest.approx(CategoricalCrossEntropy().forward(softmax(z), y))


def test_squared_error_normalisations_differ_by_the_number_of_outputs():
    out, y = np.random.default_rng(10).random((5, 10)), np.arange(5)
    assert SumSquaredError().forward(out, y) == pytest.approx(10 * MeanSquaredError().forward(out, y))


def test_softmax_is_stable_for_huge_scores():
    p = softmax(np.array([[1000.0, 1000.0, -1000.0]]))
    assert np.all(np.isfinite(p)) and np.allclose(p, [[0.5, 0.5, 0.0]])


def test_numerical_gradient_counts_forward_passes():
    w = np.array([1.0, 2.0, 3.0])
    f = lambda: float(np.sum(w ** 2))
    grad_c, n_c = numerical_gradient(f, w, method="central")
    grad_f, n_f = numerical_gradient(f, w, eps=1e-7, method="forward")
    assert n_c == 6 and n_f == 4
    assert np.allclose(grad_c, 2 * w) and np.allclose(grad_f, 2 * w, atol=1e-5)
    assert np.array_equal(w, [1.0, 2.0, 3.0])  # restored after perturbation


def test_relative_error_notices_a_wrong_gradient():
    good = np.array([1.0, -2.0, 3.0])
    assert relative_error(good, good) == 0.0
    assert relative_error(good, good * 1.01) > 1e-3


def test_a_sample_of_elements_gets_its_difference_quotients_and_the_rest_stays_zero():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    grad, evaluations = drive(iter_numerical_gradient(lambda: float(np.sum(x ** 2)), x, indices=[3, 1]))
    np.testing.assert_allclose(grad, [0.0, 4.0, 0.0, 8.0], atol=1e-8)
    assert evaluations == 4 and np.all(x == [1.0, 2.0, 3.0, 4.0])   # x is restored


def test_a_layers_input_gradient_is_its_backward_result_without_touching_parameter_gradients(x):
    dense = Dense(4, 3, rng=0)
    out_grad = np.random.default_rng(2).standard_normal((5, 3))
    dense.forward(x)
    dense.weights.grad[...] = 5.0
    alone = dense.input_gradient(out_grad)
    assert np.all(dense.weights.grad == 5.0)
    np.testing.assert_allclose(alone, dense.backward(out_grad))
    relu = ReLU()
    relu.forward(x)
    np.testing.assert_array_equal(relu.input_gradient(x), relu.backward(x))
