"""Training in a child process: the same updates and weights as in this process, stoppable, and a
failing or dying child said in words instead of a hang."""

import multiprocessing
import os
import signal
import time

import numpy as np
import pytest

from engine.mnist.files import MnistData
from engine.mnist.progress import training_updates
from engine.mnist.training_process import TrainingProcessError, training_updates_in_child
from engine.network import build_mlp
from engine.optimizers import make_optimizer


def _network_and_optimizer(seed=0):
    net = build_mlp([784, 16, 10], activation="relu", loss="softmax_ce", init="he", seed=seed, dtype=np.float32)
    return net, make_optimizer("adam", net.parameters(), learning_rate=0.01)


def _assert_same_weights(a, b):
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def test_the_child_trains_exactly_as_this_process_does_and_hands_the_weights_back(easy_digits):
    here, here_opt = _network_and_optimizer()
    there, there_opt = _network_and_optimizer()
    start = there.get_weights()
    expected = list(training_updates(here, here_opt, easy_digits, 3, 10, seed=4, train_limit=250))
    got = list(training_updates_in_child(there, there_opt, easy_digits, 3, 10, seed=4, train_limit=250))
    last = got[-1]
    assert last.finished and last.step == expected[-1].step == 3 * 25          # 250 images, batches of 10
    np.testing.assert_allclose(last.test_accuracy, expected[-1].test_accuracy, rtol=1e-6)
    np.testing.assert_allclose(last.losses, expected[-1].losses, rtol=1e-5)
    _assert_same_weights(there.get_weights(), here.get_weights())             # the network here is trained
    assert not np.allclose(there.get_weights()[0], start[0])


def test_closing_early_brings_back_the_weights_of_the_last_update_shown(easy_digits):
    """The child trains ahead of the caller; what comes back matches the update shown last."""
    net, opt = _network_and_optimizer()
    updates = training_updates_in_child(net, opt, easy_digits, 200, 10, seed=1)
    shown = next(updates)
    while shown.step < 40:                # the first update may come before any step
        shown = next(updates)
    time.sleep(0.2)                       # meanwhile the child is already computing the next one
    updates.close()
    assert shown.step < 200 * 30
    replay, replay_opt = _network_and_optimizer()
    for update in training_updates(replay, replay_opt, easy_digits, 200, 10, seed=1, every_seconds=0.0):
        if update.step == shown.step:
            break
    _assert_same_weights(net.get_weights(), replay.get_weights())
    assert not multiprocessing.active_children()                              # the child has ended


def test_should_stop_ends_the_run_and_the_weights_of_the_last_update_shown_come_back(easy_digits):
    net, opt = _network_and_optimizer()
    updates, answers = [], []

    def should_stop():
        answers.append(len(updates) >= 3)              # go on until three updates have come
        return answers[-1]
    for update in training_updates_in_child(net, opt, easy_digits, 1000, 10, seed=2, should_stop=should_stop):
        updates.append(update)
    assert len(updates) == 3 and answers.count(True) == 1   # asked before each wait; stopped when told
    assert not updates[-1].finished
    replay, replay_opt = _network_and_optimizer()
    for update in training_updates(replay, replay_opt, easy_digits, 1000, 10, seed=2, every_seconds=0.0):
        if update.step == updates[-1].step:
            break
    _assert_same_weights(net.get_weights(), replay.get_weights())
    assert not multiprocessing.active_children()


def test_an_error_in_the_child_is_reported_with_its_reason(easy_digits):
    bad = MnistData(easy_digits.train_images, np.full(300, 12, dtype=np.int64),    # no output for label 12
                    easy_digits.test_images, easy_digits.test_labels)
    net, opt = _network_and_optimizer()
    with pytest.raises(TrainingProcessError, match="Training failed in its process") as failure:
        list(training_updates_in_child(net, opt, bad, 1, 10))
    assert "IndexError" in str(failure.value) or "out of bounds" in str(failure.value)
    assert not multiprocessing.active_children()


def test_a_child_that_dies_is_reported_instead_of_waited_for(easy_digits):
    """What survives is what the caller was last handed in full: the weights of the last epoch."""
    net, opt = _network_and_optimizer()
    updates = training_updates_in_child(net, opt, easy_digits, 10_000, 10)     # 30 steps an epoch
    seen = [next(updates)]
    while seen[-1].weights is None:
        seen.append(next(updates))
    seen.append(next(updates))
    (child,) = multiprocessing.active_children()
    os.kill(child.pid, signal.SIGKILL)
    started = time.monotonic()
    with pytest.raises(TrainingProcessError, match="ended unexpectedly.*signal 9.*last finished epoch"):
        for update in updates:
            seen.append(update)
    assert time.monotonic() - started < 10
    last_epoch = [u for u in seen if u.weights is not None][-1]
    _assert_same_weights(net.get_weights(), last_epoch.weights)


def test_a_child_that_dies_before_any_epoch_ends_leaves_the_starting_weights(easy_digits):
    net = build_mlp([784, 2048, 10], activation="relu", loss="softmax_ce", seed=0, dtype=np.float32)
    opt = make_optimizer("sgd", net.parameters(), learning_rate=0.01)
    start = net.get_weights()
    slow_test = MnistData(easy_digits.train_images, easy_digits.train_labels,       # a slow epoch end
                          np.tile(easy_digits.test_images, (40, 1)), np.tile(easy_digits.test_labels, 40))
    updates = training_updates_in_child(net, opt, slow_test, 1000, 300)
    first = next(updates)
    assert first.weights is None
    (child,) = multiprocessing.active_children()
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(TrainingProcessError, match="ended unexpectedly"):
        list(updates)
    _assert_same_weights(net.get_weights(), start)       # nothing came back: the weights stay as they were


def test_a_limit_below_one_image_is_refused_before_any_process_starts(easy_digits):
    net, opt = _network_and_optimizer()
    with pytest.raises(ValueError, match="at least 1"):
        next(training_updates_in_child(net, opt, easy_digits, 1, 10, train_limit=0))
    assert not multiprocessing.active_children()


def test_where_no_process_may_start_the_training_runs_here_with_the_same_result(easy_digits, monkeypatch):
    import engine.mnist.training_process as training_process
    real = training_process._context

    class Refusing:
        def __init__(self, context):
            self._context = context

        def Pipe(self):
            return self._context.Pipe()

        def Process(self, *args, **kwargs):
            process = self._context.Process(*args, **kwargs)
            process.start = lambda: (_ for _ in ()).throw(PermissionError("no new processes here"))
            return process
    monkeypatch.setattr(training_process, "_context", lambda: Refusing(real()))
    here, here_opt = _network_and_optimizer()
    fallback, fallback_opt = _network_and_optimizer()
    expected = list(training_updates(here, here_opt, easy_digits, 2, 10, seed=3))
    got = list(training_updates_in_child(fallback, fallback_opt, easy_digits, 2, 10, seed=3))
    assert got[-1].finished and got[-1].step == expected[-1].step
    _assert_same_weights(fallback.get_weights(), here.get_weights())
    assert not multiprocessing.active_children()


def test_while_the_caller_does_not_ask_the_child_does_not_train_on(easy_digits):
    """Pausing the window's run is simply not asking: the child stops within two updates."""
    net, opt = _network_and_optimizer()
    updates = training_updates_in_child(net, opt, easy_digits, 10_000, 10)    # 30 steps an epoch
    for _ in range(3):
        shown = next(updates)
    time.sleep(0.5)                     # free to run, the child would do thousands of steps meanwhile
    later = [next(updates) for _ in range(3)]
    updates.close()
    assert later[1].step - shown.step <= 2 * 30          # two updates (each at most an epoch) ahead, no more
    assert later[2].step > later[1].step                 # and asked again, it trains on
