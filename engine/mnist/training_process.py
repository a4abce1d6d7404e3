"""Training in a child process, so that a window's drawing and the training never wait for each other.

Python runs one thread at a time (the interpreter lock). The lesson's network is so small that a
training step takes a few dozen microseconds, and each time the window draws, the training thread
hands the lock over and has to wait to get it back: the window's live plots slowed training by 10 to
35%. A child process has an interpreter of its own, so on two cores the two really run side by side.

The child runs the very same `training_updates` and sends one update each time the parent asks for
one; the parent keeps it at most two updates ahead of the caller, so it never idles while the
caller shows an update, yet the caller drives it exactly like that generator: training pauses
while the caller does not ask, and closing the generator (or finishing it) brings back into
`network` the weights of the last update the caller was handed, also when the run was stopped in
the middle. A child that fails says why; a child that
dies is reported in words, never waited for forever. Where no child process may be started, the
training runs in the caller's thread as before.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from typing import Callable, Iterator

import numpy as np

from engine.mnist.files import MnistData
from engine.mnist.progress import TrainingUpdate, training_updates
from engine.network import Network
from engine.optimizers import Optimizer

AHEAD = 2                 # updates the child may compute before the caller has seen them: it never idles
POLL_SECONDS = 0.05       # how often a waiting parent checks that the child lives and the caller still wants it
CLOSE_SECONDS = 30.0      # how long closing waits for the weights (an epoch's test evaluation may be under way)


class TrainingProcessError(RuntimeError):
    """The training process failed or ended without saying why (the message says which)."""


def _context():
    """A fork server where there is one: a clean process that has imported NumPy and the engine
    once and forks each training from there (fast, and safe beside the window's threads)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def training_updates_in_child(network: Network, optimizer: Optimizer, data: MnistData, epochs: int,
                              batch_size: int, seed: int = 0, train_limit: int | None = None,
                              should_stop: Callable[[], bool] | None = None) -> Iterator[TrainingUpdate]:
    """The updates of ``training_updates(network, optimizer, data, epochs, batch_size, seed,
    train_limit)``, computed in a child process. ``should_stop()`` ends the run early even while
    an update is still being computed (e.g. during an epoch's test evaluation)."""
    train_images, train_labels = data.train_images, data.train_labels
    if train_limit is not None:
        if train_limit < 1:
            raise ValueError(f"train_limit must be at least 1, got {train_limit}")
        train_images, train_labels = train_images[:train_limit], train_labels[:train_limit]
    ours = theirs = None
    try:
        context = _context()
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), name="descent-lab-training", daemon=True)
        process.start()
    except Exception:  # a machine that allows no child process: train here, only slower beside a window
        for end in (ours, theirs):
            if end is not None:
                end.close()
        return (yield from training_updates(network, optimizer, data, epochs, batch_size, seed, train_limit))
    theirs.close()   # only the child holds its end now: if it dies, reading ours ends instead of waiting
    shown = None    # the step of the last update handed to the caller
    epoch_weights = None   # all weights, from the last update that carried them (at an epoch's end)
    try:
        try:
            ours.send((network, optimizer, {"epochs": epochs, "batch_size": batch_size, "seed": seed}))
            _send_arrays(ours, (train_images, train_labels, data.test_images, data.test_labels))
        except OSError:             # the child died while it was being handed the data
            raise TrainingProcessError(_died(process)) from None
        for _ in range(AHEAD):
            _ask(ours, process)
        while True:
            message = _receive(ours, process, should_stop)
            if message is None:            # the caller stopped waiting
                return
            kind, payload = message
            if kind == "update":
                _ask(ours, process)        # the child trains on while the caller shows this one
                shown = payload.step
                if payload.weights is not None:
                    epoch_weights = payload.weights
                yield payload
            elif kind == "end":
                return
            else:
                raise TrainingProcessError(f"Training failed in its process:\n{payload}")
    except TrainingProcessError:
        if epoch_weights is not None and not process.is_alive():
            network.set_weights(epoch_weights)   # a child that died cannot hand back more than this
        raise
    finally:
        _finish(ours, process, network, shown)


def _ask(connection, process) -> None:
    try:
        connection.send("next")
    except OSError:
        raise TrainingProcessError(_died(process)) from None


def _receive(connection, process, should_stop=None, timeout: float | None = None):
    """The child's next message; None when ``should_stop()`` (asked first, then while waiting) or
    the timeout comes first."""
    deadline = None if timeout is None else time.monotonic() + timeout
    if should_stop is not None and should_stop():
        return None
    while not connection.poll(POLL_SECONDS):
        if should_stop is not None and should_stop():
            return None
        if deadline is not None and time.monotonic() > deadline:
            return None
        if not process.is_alive() and not connection.poll(0):
            raise TrainingProcessError(_died(process))
    try:
        return connection.recv()
    except (EOFError, OSError):      # closed, or reset by a child killed while it wrote
        raise TrainingProcessError(_died(process)) from None


def _died(process) -> str:
    process.join(1.0)
    code = process.exitcode
    how = f"exit code {code}" if code is None or code >= 0 else f"signal {-code}"
    return (f"The training process ended unexpectedly ({how}), perhaps for lack of memory. "
            "The network keeps the weights of its last finished epoch, if any.")


def _finish(connection, process, network: Network, shown: int | None) -> None:
    """Ask the child for the weights of the last update shown, put them into ``network``, and make
    sure the child ends."""
    try:
        connection.send(("close", shown))
        deadline = time.monotonic() + CLOSE_SECONDS
        while time.monotonic() < deadline:
            message = _receive(connection, process, timeout=max(0.0, deadline - time.monotonic()))
            if message is None:
                break
            kind, payload = message
            if kind == "weights":
                network.set_weights(payload)
                break
    except (OSError, EOFError, TrainingProcessError):
        pass    # the child is gone: the network keeps the weights it had
    finally:
        connection.close()
        process.join(2.0)
        if process.is_alive():
            process.kill()
            process.join(2.0)


def _send_arrays(connection, arrays) -> None:
    """Arrays as raw bytes: no pickled copy of a training set that may be 200 MB."""
    arrays = [np.ascontiguousarray(array) for array in arrays]
    connection.send([(array.shape, array.dtype.str) for array in arrays])
    for array in arrays:
        connection.send_bytes(array)


def _receive_arrays(connection) -> list[np.ndarray]:
    arrays = []
    for shape, dtype in connection.recv():
        array = np.empty(shape, dtype=dtype)
        connection.recv_bytes_into(array.reshape(-1).view(np.uint8))   # a flat view: its length is its size
        arrays.append(array)
    return arrays


def _serve(connection) -> None:
    """The child: train when asked, up to AHEAD updates ahead of the parent; on close, hand back the weights
    as they were at the update the parent showed last (not the one it never saw)."""
    try:
        network, optimizer, settings = connection.recv()
        data = MnistData(*_receive_arrays(connection))
        updates = training_updates(network, optimizer, data, **settings)
        snapshots: dict[int, list[np.ndarray]] = {}   # the weights at the updates sent but perhaps not shown
        ended = False
        while True:
            request = connection.recv()
            if request != "next":                     # ("close", step of the update shown last)
                updates.close()
                weights = snapshots.get(request[1]) if not ended else None
                connection.send(("weights", weights if weights is not None else network.get_weights()))
                return
            if ended:
                connection.send(("end", None))
                continue
            try:
                update = next(updates)
            except StopIteration:
                ended = True
                connection.send(("end", None))
                continue
            except Exception:
                ended = True
                connection.send(("error", traceback.format_exc()))
                continue
            snapshots = dict(list(snapshots.items())[-AHEAD:])   # those sent before may not be shown yet
            snapshots[update.step] = network.get_weights()
            connection.send(("update", update))
    except (EOFError, OSError, KeyboardInterrupt):
        return   # the parent has gone (or Ctrl+C in its terminal): nobody is left to tell
