"""The small classifier that random search guesses weights for, evaluated many guesses at a time.

The model is the book's (Neural Networks from Scratch, ch. 6): Dense n_in→h, ReLU, Dense h→C,
softmax, categorical cross-entropy. Searching needs thousands of loss evaluations, so a *candidate*
is one flat vector of all P parameters and K candidates are stacked into a (K, P) array. One
batched pass then computes K losses with a handful of matrix products instead of K Python loops:

    Z1 = X @ W1[k] + b1[k]          (N, h)   for every candidate k at once
    A1 = max(0, Z1)
    Z2 = A1 @ W2[k] + b2[k]         (N, C)
    L[k] = mean_n( logsumexp(Z2[k, n]) - Z2[k, n, y_n] )      cross-entropy of softmax(Z2)

``batched_loss_accuracy`` does this in reusable work arrays, because a search calls it tens of
thousands of times. ``evaluate_with_network`` computes the same numbers through the regular engine
``Network``, one candidate at a time, so tests can prove the fast path is the same maths.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from engine.activations import softmax
from engine.network import Network, build_mlp


@dataclass(frozen=True)
class SearchModel:
    """Sizes of the Dense n_in→hidden→classes model and where each weight sits in a flat vector.

    Flat order: W1 (n_in·hidden, row-major), b1 (hidden), W2 (hidden·classes), b2 (classes) —
    the same order as ``Network.parameters()``.
    """

    n_in: int = 2
    hidden: int = 3
    classes: int = 3

    def __post_init__(self):
        for name in ("n_in", "hidden", "classes"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.classes < 2:
            raise ValueError(f"a classifier needs at least 2 classes, got {self.classes}")

    @property
    def shapes(self) -> list[tuple[int, ...]]:
        return [(self.n_in, self.hidden), (self.hidden,), (self.hidden, self.classes), (self.classes,)]

    @property
    def layer_sizes(self) -> tuple[int, int, int]:
        """(n_in, hidden, classes): what ``engine.work`` needs to price a forward pass."""
        return (self.n_in, self.hidden, self.classes)

    @property
    def size(self) -> int:
        """P, the number of parameters (21 for the book's 2→3→3 model)."""
        return sum(int(np.prod(s)) for s in self.shapes)

    def unpack(self, flat: np.ndarray) -> list[np.ndarray]:
        """Split candidates (K, P) into views W1 (K, n_in, h), b1 (K, h), W2 (K, h, C), b2 (K, C).

        A single vector (P,) gives the unbatched shapes (n_in, h), (h,), (h, C), (C,).
        """
        flat = np.asarray(flat)
        if flat.shape[-1] != self.size:
            raise ValueError(f"expected {self.size} parameters per candidate, got {flat.shape[-1]}")
        lead = flat.shape[:-1]
        parts, start = [], 0
        for shape in self.shapes:
            n = int(np.prod(shape))
            parts.append(flat[..., start:start + n].reshape(lead + shape))
            start += n
        return parts

    def pack(self, arrays: list[np.ndarray]) -> np.ndarray:
        """The inverse of ``unpack`` for one candidate: [W1, b1, W2, b2] -> flat (P,)."""
        return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])

    def parameter_names(self) -> list[str]:
        """Readable names in flat order, e.g. 'W1[0,2]' (input 0 → hidden neuron 2), 'b2[1]'."""
        names = []
        for label, shape in zip(("W1", "b1", "W2", "b2"), self.shapes):
            for index in np.ndindex(*shape):
                names.append(f"{label}[{','.join(map(str, index))}]")
        return names

    def initial_weights(self, rng: np.random.Generator, scale: float = 0.01) -> np.ndarray:
        """The book's start: every weight scale·N(0, 1); biases start at zero as in Dense."""
        flat = np.zeros(self.size)
        w1, _, w2, _ = self.unpack(flat)
        w1[...] = scale * rng.standard_normal(w1.shape)
        w2[...] = scale * rng.standard_normal(w2.shape)
        return flat


# --- the batched forward pass -------------------------------------------------------------------

def batched_scores(model: SearchModel, candidates: np.ndarray, X: np.ndarray,
                   work: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Raw scores of every candidate on every point, classes first: (K, P), (N, n_in) -> (K, C, N).

    Points run along the last axis so the per-point work over a handful of classes (max, sum,
    argmax) runs over long contiguous rows, which NumPy does much faster than over a tiny last axis.
    `work` = (hidden (K, h, N), scores (K, C, N)) arrays to compute in instead of allocating new ones.
    """
    hidden, scores = work if work is not None else (None, None)
    w1, b1, w2, b2 = model.unpack(np.atleast_2d(candidates))
    hidden = np.matmul(w1.transpose(0, 2, 1), X.T, out=hidden)     # (K, h, n_in) @ (n_in, N) -> (K, h, N)
    hidden += b1[:, :, None]
    np.maximum(hidden, 0.0, out=hidden)                             # ReLU
    scores = np.matmul(w2.transpose(0, 2, 1), hidden, out=scores)  # (K, C, h) @ (K, h, N) -> (K, C, N)
    scores += b2[:, :, None]
    return scores


def batched_logits(model: SearchModel, candidates: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Raw scores in the usual layout: candidates (K, P), X (N, n_in) -> (K, N, C)."""
    return batched_scores(model, candidates, X).transpose(0, 2, 1)


class _Workspace:
    """Work arrays that ``batched_loss_accuracy`` reuses from one call to the next.

    Why they exist: a search calls ``batched_loss_accuracy`` tens of thousands of times on the same
    data with up to 256 candidates, and each call needs ~2 MB of temporaries (hidden layer, scores,
    per-point sums). Allocating that afresh every call made the memory system, not the arithmetic,
    the main cost; writing into the same arrays with ``out=`` instead roughly tripled the speed.

    Each thread gets its own workspace (``threading.local``): the GUI searches in worker threads
    while tests and the command line search in the main thread, and two searches writing into one
    shared array would silently corrupt each other's losses. Arrays hold ``capacity`` candidates;
    a call with K <= capacity uses views of the first K rows, and a larger K grows them. The price
    is memory that stays with each thread that has searched (~2 MB for the book's model with 256
    candidates on 300 points) until the thread ends.
    """

    def __init__(self, hidden: int, classes: int, n_points: int, dtype: np.dtype, capacity: int):
        self.key = (hidden, classes, n_points, dtype)
        self.capacity = capacity
        self.hidden = np.empty((capacity, hidden, n_points), dtype)   # Z1, then ReLU(Z1)
        self.scores = np.empty((capacity, classes, n_points), dtype)  # Z2, then shifted, then exp
        self.top = np.empty((capacity, n_points), dtype)              # each point's largest score
        self.total = np.empty((capacity, n_points), dtype)            # sum of exp, then the loss
        self.winner = np.empty((capacity, n_points), np.intp)         # predicted class (argmax)
        self.better = np.empty((capacity, n_points), bool)
        self.points = np.arange(n_points)


_workspaces = threading.local()


def _workspace(model: SearchModel, k: int, n_points: int, dtype: np.dtype) -> _Workspace:
    """This thread's workspace, (re)built when the model, the data size or dtype changes or K grows."""
    space = getattr(_workspaces, "space", None)
    key = (model.hidden, model.classes, n_points, dtype)
    if space is None or space.key != key or space.capacity < k:
        capacity = max(k, space.capacity if space is not None and space.key == key else 0)
        space = _Workspace(model.hidden, model.classes, n_points, dtype, capacity)
        _workspaces.space = space
    return space


def batched_loss_accuracy(model: SearchModel, candidates: np.ndarray, X: np.ndarray,
                          y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean cross-entropy loss and accuracy of each candidate: candidates (K, P) -> (K,), (K,).

    ``batched_scores`` computed in this thread's reusable work arrays (see ``_Workspace``), then
    log-softmax (subtract each point's largest score so exp cannot overflow) and argmax fused in
    place with ``out=``: the engine's ``softmax`` would allocate fresh arrays on every call, which
    is what the work arrays avoid. With only a few classes, a short Python loop over the
    classes finds each point's largest score and its class faster than ``max`` and ``argmax`` do,
    and, like ``argmax``, it keeps the first class on a tie (scores that are NaN, whose loss is
    NaN and never kept, may be classed differently). The returned arrays are new.
    """
    candidates = np.atleast_2d(candidates)
    X = np.asarray(X)
    y = np.asarray(y)
    k, n = candidates.shape[0], X.shape[0]
    dtype = np.result_type(candidates, X, np.float32)
    space = _workspace(model, k, n, dtype)
    hidden, scores = space.hidden[:k], space.scores[:k]
    top, total, winner, better = space.top[:k], space.total[:k], space.winner[:k], space.better[:k]

    batched_scores(model, candidates, X, work=(hidden, scores))

    # Largest score per point and the first class that has it (what argmax returns).
    np.copyto(top, scores[:, 0, :])
    winner.fill(0)
    for c in range(1, model.classes):
        np.greater(scores[:, c, :], top, out=better)
        np.copyto(winner, c, where=better)
        np.maximum(top, scores[:, c, :], out=top)

    scores -= top[:, None, :]                                # shifted scores: each point's max is 0
    picked = scores[:, y, space.points]                      # (K, N) shifted score of the true class
    np.exp(scores, out=scores)
    np.sum(scores, axis=1, out=total)
    np.log(total, out=total)
    total -= picked                                          # -log softmax of the true class
    losses = total.mean(axis=1)
    np.equal(winner, y[None, :], out=better)
    accuracies = better.mean(axis=1)
    return losses, accuracies


def predict_proba(model: SearchModel, weights: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Softmax probabilities of one candidate (P,) on points X (N, n_in) -> (N, C)."""
    return softmax(batched_logits(model, weights[None, :], X)[0])


def max_batch_size(model: SearchModel, n_points: int, budget: int = 2_000_000) -> int:
    """How many candidates fit in one pass while the (K, N, h) intermediate stays ~16 MB."""
    per_candidate = max(1, n_points * max(model.hidden, model.classes))
    return max(1, budget // per_candidate)


# --- the same model through the regular engine --------------------------------------------------

def to_network(model: SearchModel, weights: np.ndarray) -> Network:
    """An engine ``Network`` (Dense, ReLU, Dense; fused softmax cross-entropy) holding these weights."""
    net = build_mlp([model.n_in, model.hidden, model.classes], activation="relu",
                    loss="softmax_ce", init="small", seed=0)
    net.set_weights(model.unpack(np.asarray(weights, dtype=np.float64)))
    return net


def from_network(model: SearchModel, net: Network) -> np.ndarray:
    """The flat weight vector (P,) of a Network built by ``to_network`` (or ``build_mlp``)."""
    return model.pack(net.get_weights())


def evaluate_with_network(model: SearchModel, weights: np.ndarray, X: np.ndarray,
                          y: np.ndarray) -> tuple[float, float]:
    """Loss and accuracy of ONE candidate computed by the engine Network (the slow reference)."""
    net = to_network(model, weights)
    return net.loss_value(X, y), net.accuracy(X, y)


def loss_gradient(model: SearchModel, weights: np.ndarray, X: np.ndarray,
                  y: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and dL/dw (P,) at these weights, by backpropagation through the engine Network."""
    net = to_network(model, weights)
    loss = net.loss_and_gradients(X, y)
    return loss, model.pack([p.grad for p in net.parameters()])
