"""Network bookkeeping and model files: round trips, and clear errors for every kind of bad file."""

import json

import numpy as np
import pytest

from engine.network import ModelFileError, Network, build_mlp


def test_lesson_network_has_13002_parameters():
    net = build_mlp([784, 16, 16, 10], "sigmoid", "sse", init="small", seed=0)
    assert net.parameter_count() == 13_002
    assert net.layer_sizes == [784, 16, 16, 10]


def test_predictions_and_probabilities_agree():
    net = build_mlp([5, 8, 4], seed=1)
    x = np.random.default_rng(2).standard_normal((10, 5))
    p = net.predict_proba(x)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(p.argmax(axis=1), net.predict(x))
    assert net.accuracy(x, net.predict(x)) == 1.0


def test_copy_is_independent():
    net = build_mlp([3, 4, 2], seed=0)
    twin = net.copy()
    twin.parameters()[0].value += 1
    assert not np.allclose(twin.parameters()[0].value, net.parameters()[0].value)


def test_a_copy_in_float64_holds_the_same_weights_and_answers():
    net = build_mlp([3, 4, 2], activation="sigmoid", loss="sse", seed=0, dtype=np.float32)
    twin = net.copy(np.float64)
    assert twin.dtype == np.float64 and net.dtype == np.float32
    assert all(p.value.dtype == np.float64 for p in twin.parameters())
    for ours, theirs in zip(net.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(ours.astype(np.float64), theirs)
    x = np.random.default_rng(1).random((4, 3))
    np.testing.assert_allclose(twin.forward(x), net.forward(x.astype(np.float32)), rtol=1e-6)


@pytest.mark.parametrize("activation, loss, dtype", [
    ("sigmoid", "sse", np.float32), ("relu", "softmax_ce", np.float64), ("tanh", "cce", np.float64)])
def test_save_load_round_trip_gives_identical_predictions(tmp_path, activation, loss, dtype):
    net = build_mlp([6, 5, 3], activation, loss, seed=3, dtype=dtype)
    x = np.random.default_rng(4).standard_normal((20, 6)).astype(dtype)
    path = tmp_path / "model.npz"
    net.save(path)
    loaded = Network.load(path)
    assert loaded.spec() == net.spec()
    assert np.array_equal(loaded.predict_proba(x), net.predict_proba(x))


def test_truncated_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "model.npz"
    build_mlp([6, 5, 3], seed=0).save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ModelFileError, match="model.npz: .*(truncated|corrupt)"):
        Network.load(path)


def test_wrong_shape_file_names_the_problem(tmp_path):
    path = tmp_path / "model.npz"
    net = build_mlp([6, 5, 3], seed=0)
    weights = {f"param_{i}": w for i, w in enumerate(net.get_weights())}
    weights["param_0"] = np.zeros((7, 5))
    np.savez(path, spec=np.array(json.dumps(net.spec())), **weights)
    with pytest.raises(ModelFileError, match=r"shape \(7, 5\), expected \(6, 5\)"):
        Network.load(path)


def test_file_needing_pickle_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, spec=np.array([{"evil": "object"}], dtype=object))
    with pytest.raises(ModelFileError, match="pickle"):
        Network.load(path)


def test_file_without_architecture_is_refused(tmp_path):
    path = tmp_path / "weights.npz"
    np.savez(path, a=np.zeros(3))
    with pytest.raises(ModelFileError, match="architecture"):
        Network.load(path)


def test_missing_weights_are_reported(tmp_path):
    path = tmp_path / "model.npz"
    net = build_mlp([6, 5, 3], seed=0)
    np.savez(path, spec=np.array(json.dumps(net.spec())), param_0=net.get_weights()[0])
    with pytest.raises(ModelFileError, match="missing"):
        Network.load(path)


def test_non_finite_weights_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    net = build_mlp([2, 2, 2], seed=0)
    weights = net.get_weights()
    weights[0][0, 0] = np.nan
    np.savez(path, spec=np.array(json.dumps(net.spec())), **{f"param_{i}": w for i, w in enumerate(weights)})
    with pytest.raises(ModelFileError, match="non-finite"):
        Network.load(path)


def test_not_a_zip_file_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("these are my notes, not a model")
    with pytest.raises(ModelFileError, match="notes.npz"):
        Network.load(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        Network.load(tmp_path / "absent.npz")
