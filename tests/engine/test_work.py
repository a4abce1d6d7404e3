"""Work in multiply-adds: the count every method's budget is measured in."""

import pytest

from engine.network import build_mlp
from engine.work import BACKWARD_PER_FORWARD, Work, forward_multiply_adds


def test_the_books_model_on_its_data():
    # 300 points through 2→3→3: 300·(2·3 + 3·3)
    assert forward_multiply_adds((2, 3, 3), 300) == 4_500


def test_the_line_fit_costs_one_multiply_add_per_point():
    assert forward_multiply_adds((1, 1), 100) == 100


def test_the_count_is_the_size_of_every_weight_matrix_times_the_points():
    net = build_mlp([784, 16, 16, 10], seed=0)
    per_point = sum(layer.weights.value.size for layer in net.dense_layers)
    assert forward_multiply_adds(net.layer_sizes, 32) == 32 * per_point == 32 * 12_960


def test_a_gradient_step_costs_three_forward_passes():
    work = Work.dense((2, 64, 3), 300)
    assert BACKWARD_PER_FORWARD == 2
    assert work.backward == 2 * work.forward
    assert work.multiply_adds(1, 1) == 3 * work.forward
    assert work.multiply_adds(7) == 7 * work.forward


@pytest.mark.parametrize("sizes, points", [((3,), 10), ((2, 0, 3), 10), ((2, 3), -1)])
def test_impossible_models_are_refused(sizes, points):
    with pytest.raises(ValueError):
        forward_multiply_adds(sizes, points)
