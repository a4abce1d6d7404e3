"""The training generator: records, stopping, reproducibility."""

import numpy as np
import pytest

from engine.datasets import linear_toy, vertical_data
from engine.network import build_mlp
from engine.optimizers import SGD
from engine.training import TrainRecord, train


def _setup(seed=0):
    X, y = vertical_data(50, 3, seed=seed)
    net = build_mlp([2, 8, 3], seed=seed)
    return net, SGD(net.parameters(), learning_rate=0.5), X, y


def test_records_carry_progress_and_end_with_each_epoch():
    net, opt, X, y = _setup()
    records = list(train(net, opt, X, y, epochs=3, batch_size=50, seed=0))
    epochs = [r for r in records if r.kind == "epoch"]
    batches = [r for r in records if r.kind == "batch"]
    assert [r.epoch for r in epochs] == [1, 2, 3]
    assert len(batches) == 3 * 3  # 150 samples / batch 50
    assert epochs[-1].samples_seen == 450 and epochs[-1].step == 9
    assert all(isinstance(r, TrainRecord) and np.isfinite(r.loss) and 0 <= r.accuracy <= 1 for r in records)
    assert [r.seconds for r in records] == sorted(r.seconds for r in records)


def test_validation_metrics_are_reported_per_epoch():
    net, opt, X, y = _setup()
    Xv, yv = vertical_data(20, 3, seed=9)
    last = [r for r in train(net, opt, X, y, 5, x_val=Xv, y_val=yv) if r.kind == "epoch"][-1]
    assert last.val_accuracy is not None and last.val_loss is not None


def test_stopping_between_records_leaves_training_where_it_was():
    net, opt, X, y = _setup()
    gen = train(net, opt, X, y, epochs=100, batch_size=10)
    for _ in range(7):
        next(gen)
    gen.close()
    assert opt.iterations == 7


def test_should_stop_callback_ends_the_loop():
    net, opt, X, y = _setup()
    calls = []
    records = list(train(net, opt, X, y, epochs=100, batch_size=10, should_stop=lambda: len(calls.append(1) or calls) > 5))
    assert opt.iterations == 5 and len(records) == 5


def test_same_seed_same_result():
    results = []
    for _ in range(2):
        net, opt, X, y = _setup(seed=3)
        results.append([r.loss for r in train(net, opt, X, y, 3, batch_size=16, seed=4)])
    assert results[0] == results[1]


def test_regression_records_have_no_accuracy():
    from engine.layers import Dense
    from engine.losses import MeanSquaredError
    from engine.network import Network
    x, y = linear_toy(20, seed=0)
    net = Network([Dense(1, 1, rng=0)], MeanSquaredError())
    rec = list(train(net, SGD(net.parameters(), 0.1), x[:, None], y[:, None], 2))[-1]
    assert rec.accuracy is None


@pytest.mark.parametrize("kwargs, message", [({"epochs": 0}, "epochs"), ({"epochs": 1, "batch_size": 0}, "batch")])
def test_bad_settings_are_refused(kwargs, message):
    net, opt, X, y = _setup()
    with pytest.raises(ValueError, match=message):
        next(train(net, opt, X, y, **kwargs))
