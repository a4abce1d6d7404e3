"""The MNIST tab's background functions, checked without Qt on small synthetic data."""

import numpy as np

from engine.mnist import MnistData
from engine.mnist.models import noise_report
from engine.network import build_mlp
from engine.optimizers import make_optimizer
from gui.tabs.mnist.jobs import (DIVERGED, add_noise_class, evaluation, hidden_activations,
                                 noise_experiment, probabilities, training_updates)


def synthetic_data(n=300, seed=0) -> MnistData:
    """Ten easy 'digits': class c lights up its own band of rows."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.random((n, 784), dtype=np.float32) * 0.1
    for i, c in enumerate(labels):
        images[i, c * 78:(c + 1) * 78] += 0.8
    return MnistData(images, labels.astype(np.int64), images[:100].copy(), labels[:100].astype(np.int64))


def test_bars_of_a_sigmoid_network_are_shares_that_sum_to_one():
    net = build_mlp([784, 8, 10], activation="sigmoid", loss="sse", init="xavier", seed=4)
    images = np.random.default_rng(0).random((5, 784))
    raw = net.predict_proba(images)                 # independent sigmoid outputs
    assert not np.allclose(raw.sum(axis=1), 1.0)
    p = probabilities(net, images)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p, raw / raw.sum(axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_array_equal(np.argmax(p, axis=1), np.argmax(raw, axis=1))


def test_hidden_activations_are_the_outputs_of_each_hidden_layer():
    net = build_mlp([784, 16, 8, 10], activation="sigmoid", loss="sse", init="xavier", seed=1)
    image = np.random.default_rng(2).random(784)
    first, second = hidden_activations(net, image)
    dense = net.dense_layers
    h1 = 1 / (1 + np.exp(-(image @ dense[0].weights.value + dense[0].biases.value)))
    h2 = 1 / (1 + np.exp(-(h1 @ dense[1].weights.value + dense[1].biases.value)))
    np.testing.assert_allclose(first, h1, rtol=1e-6)
    np.testing.assert_allclose(second, h2, rtol=1e-6)


def test_training_updates_are_cumulative_and_end_with_the_weights():
    data = synthetic_data()
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


def test_a_non_finite_cost_stops_training_with_advice():
    data = synthetic_data()
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", seed=0, dtype=np.float32)
    net.dense_layers[0].weights.value[0, 0] = np.nan
    opt = make_optimizer("sgd", net.parameters(), learning_rate=0.1)
    updates = list(training_updates(net, opt, data, epochs=1, batch_size=10))
    assert updates[-1].problem == DIVERGED and "smaller learning rate" in DIVERGED
    assert updates[-1].step == 1 and not updates[-1].finished      # stopped at once


def test_noise_experiment_uses_the_engine_noise_and_handles_a_not_a_digit_class():
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", seed=3, dtype=np.float32)
    mine = noise_experiment(net, 200, seed=5, test_images=synthetic_data().test_images)
    engine = noise_report(net, 200, seed=5)
    np.testing.assert_allclose(mine["noise_top"], engine["top_probabilities"], rtol=1e-6)
    assert list(mine["predicted_counts"]) == engine["predicted_counts"]
    assert mine["digits_top"].shape == (100,)
    net11 = build_mlp([784, 16, 11], activation="relu", loss="softmax_ce", seed=3, dtype=np.float32)
    result = noise_experiment(net11, 50, seed=5)
    assert result["classes"] == 11 and result["predicted_counts"].sum() == 50
    p = probabilities(net11, np.random.default_rng(5).random((50, 784), dtype=np.float32))
    np.testing.assert_allclose(result["noise_top"], p[:, :10].max(axis=1), rtol=1e-6)


def test_evaluation_counts_a_not_a_digit_answer_as_a_mistake_outside_the_matrix():
    data = add_noise_class(synthetic_data(), train_limit=200, noise_fraction=0.1, seed=0)
    assert data.train_images.shape[0] == 220 and np.sum(data.train_labels == 10) == 20
    net = build_mlp([784, 16, 11], activation="relu", loss="softmax_ce", seed=0, dtype=np.float32)
    net.dense_layers[-1].biases.value[10] = 100.0        # always answers "not a digit"
    result = evaluation(net, data.test_images, data.test_labels)
    assert result["accuracy"] == 0.0 and result["confusion"].sum() == 0
    assert np.all(result["predicted"] == 10)


def test_frequent_updates_carry_the_first_layer_weights_only_now_and_then():
    data = synthetic_data()
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
