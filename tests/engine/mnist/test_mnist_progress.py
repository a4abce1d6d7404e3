"""Training as cumulative snapshots for the window, checked on small synthetic digits."""

import numpy as np

from engine.mnist.progress import DIVERGED, training_updates
from engine.network import build_mlp
from engine.optimizers import make_optimizer


def test_training_updates_are_cumulative_and_end_with_the_weights(easy_digits):
    data = easy_digits
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", init="he", seed=0, dtype=np.float32)
    opt = make_optimizer("adam", net.parameters(), learning_rate=0.01)
    updates = list(training_updates(net, opt, data, epochs=3, batch_size=10, every_seconds=0.0))
    lengths = [len(u.losses) for u in updates]
    assert lengths == sorted(lengths) and lengths[-1] > 3
    last = updates[-1]
    assert last.finished and last.epoch_numbers == [1, 2, 3] and len(last.test_accuracy) == 3
    assert last.test_accuracy[-1] > 0.8                    # the easy classes are learned
    for saved, live in zip(last.weights, net.get_weights()):
        np.testing.assert_array_equal(saved, live)
    assert last.first_weights.shape == (784, 16)
    assert updates[0].seconds_left is not None and last.seconds_left is None
    # snapshots are copies: training on does not change what was handed out
    before = last.first_weights.copy()
    net.dense_layers[0].weights.value += 1.0
    np.testing.assert_array_equal(last.first_weights, before)


def test_a_non_finite_cost_stops_training_with_advice(easy_digits):
    data = easy_digits
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", seed=0, dtype=np.float32)
    net.dense_layers[0].weights.value[0, 0] = np.nan
    opt = make_optimizer("sgd", net.parameters(), learning_rate=0.1)
    updates = list(training_updates(net, opt, data, epochs=1, batch_size=10))
    assert updates[-1].problem == DIVERGED and "smaller learning rate" in DIVERGED
    assert updates[-1].step == 1 and not updates[-1].finished      # stopped at once


def test_frequent_updates_carry_the_first_layer_weights_only_now_and_then(easy_digits):
    data = easy_digits
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", init="he", seed=0, dtype=np.float32)
    opt = make_optimizer("sgd", net.parameters(), learning_rate=0.05)
    updates = list(training_updates(net, opt, data, epochs=2, batch_size=10, every_seconds=0.0,
                                    weights_every_seconds=1e9))
    assert len(updates) > 40                                       # one per batch, plus epoch ends
    with_weights = [u for u in updates if u.first_weights is not None]
    assert with_weights[0] is updates[0]                           # the picture appears at once
    assert all(u.weights is not None for u in with_weights[1:])    # after that only at epoch ends
    assert len(with_weights) == 3
    every = list(training_updates(net, opt, data, epochs=1, batch_size=10, every_seconds=0.0,
                                  weights_every_seconds=0.0))
    assert all(u.first_weights is not None for u in every)
