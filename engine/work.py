"""Work in multiply-adds: one currency for guessing, trial and error and gradient descent alike.

Counting *loss evaluations* treats a gradient step like a guess, yet a step is a forward pass and a
backward pass. A fair race counts the arithmetic both need, on the same model and the same data:
the multiply-adds of the matrix products of a dense model's forward pass over the whole data set,

    forward  = N · Σ over layers of fan_in · fan_out
               (the book's 2→3→3 on 300 points: 300 · (2·3 + 3·3) = 4,500)
    backward = 2 × forward
               (every layer needs one product of the same size for dL/dW and one for dL/d(input))

so a guess costs one forward pass and a gradient step three. Biases, activations, softmax, the loss
and the optimizer's few operations per weight are left out: they grow with N·width or with the
number of weights, not with N·weights, and are small beside the products. Backward is charged the
full 2× although the first layer needs no dL/d(input) (for 2→3→3 the exact figure is 1.6×): the
rounding goes against gradient descent, so a race it still wins is not won by the bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

BACKWARD_PER_FORWARD = 2


def forward_multiply_adds(layer_sizes: Sequence[int], points: int) -> int:
    """Multiply-adds of one forward pass of a dense model with these layer sizes over `points` inputs.

    ``layer_sizes`` runs from the inputs to the outputs, e.g. (2, 3, 3) or (784, 16, 16, 10); the line
    fit ŷ = w·x + b is (1, 1): one multiply-add per point.
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"need at least an input and an output size, all positive, got {list(layer_sizes)}")
    if int(points) < 0:
        raise ValueError(f"the number of points cannot be negative, got {points}")
    return int(points) * sum(a * b for a, b in zip(sizes, sizes[1:]))


@dataclass(frozen=True)
class Work:
    """The price of one forward pass of a model over its data, and of any mix of passes."""

    forward: int  # multiply-adds of one forward pass over the whole data set

    @classmethod
    def dense(cls, layer_sizes: Sequence[int], points: int) -> "Work":
        return cls(forward_multiply_adds(layer_sizes, points))

    @property
    def backward(self) -> int:
        return BACKWARD_PER_FORWARD * self.forward

    def multiply_adds(self, forward_passes: int, backward_passes: int = 0) -> int:
        """Total work of so many forward passes (loss evaluations) and backward passes (gradients)."""
        return int(forward_passes) * self.forward + int(backward_passes) * self.backward
