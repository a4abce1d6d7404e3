"""What a digit network says about an image: its answer, how sure it is, and its hidden neurons.

Two kinds of output layer are in use. Softmax networks give probabilities directly. The 3b1b
network's ten outputs are independent sigmoid neurons (each in [0, 1], not summing to 1); there each
neuron's *share* of the total activation stands in for its probability, so bars and confidence
thresholds mean the same thing for every model. The ranking, and so the answer, is the same either
way. Every figure here comes from ``class_probabilities``; the command line and the window both use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import ReLU, Sigmoid, Softmax, Tanh
from engine.layers import Dense
from engine.mnist.preprocess import preprocess_drawing
from engine.network import Network

INPUTS, CLASSES = 784, 10
#: Label of the optional extra class "not a digit" (an 11th output trained on noise).
NOT_A_DIGIT = 10


def output_classes(network: Network) -> int:
    """10 for a digit model, 11 when it also has the "not a digit" class."""
    return network.layer_sizes[-1]


def outputs_are_probabilities(network: Network) -> bool:
    """True when the output layer itself gives probabilities (softmax), False for sigmoid outputs."""
    return network.loss.takes_logits or isinstance(network.layers[-1], Softmax)


def as_shares(network: Network, scores: np.ndarray) -> np.ndarray:
    """Output scores (N, classes) turned into rows that sum to 1 (unchanged for softmax outputs)."""
    if outputs_are_probabilities(network):
        return scores
    return scores / np.maximum(scores.sum(axis=-1, keepdims=True), np.finfo(scores.dtype).tiny)


def output_scores(network: Network, images: np.ndarray, batch: int = 10_000) -> np.ndarray:
    """The output neurons for images (N, 784), computed in batches: softmax probabilities, or for
    sigmoid outputs their activations (which need not sum to 1). Shape (N, classes)."""
    images = np.asarray(images, dtype=network.dtype)
    if images.ndim != 2 or images.shape[1] != INPUTS:
        raise ValueError(f"expected images of shape (N, 784), got {images.shape}")
    if images.shape[0] == 0:
        return np.zeros((0, output_classes(network)), dtype=network.dtype)
    return np.concatenate([network.predict_proba(images[i:i + batch])
                           for i in range(0, images.shape[0], batch)])


def class_probabilities(network: Network, images: np.ndarray, batch: int = 10_000) -> np.ndarray:
    """Class probabilities (N, classes) for images (N, 784), each row summing to 1 (see the module
    docstring for sigmoid outputs)."""
    return as_shares(network, output_scores(network, images, batch))


def top_digit_probability(probabilities: np.ndarray) -> np.ndarray:
    """How sure the network is that each image is a digit: its highest probability among the ten
    digits (N,). An extra "not a digit" class is left out: the probability it takes is confidence
    that the image is *not* a digit. A digit probability above 0.5 is always the top answer."""
    return probabilities[:, :CLASSES].max(axis=1)


@dataclass(frozen=True)
class Reading:
    """Everything one forward pass says about one image (float64 copies, safe to hand around)."""

    scores: np.ndarray           # (classes,) the output neurons, as in `output_scores`
    probabilities: np.ndarray    # (classes,) summing to 1, as in `class_probabilities`
    hidden: list[np.ndarray]     # one (neurons,) array per hidden layer

    @property
    def answer(self) -> int:
        return int(np.argmax(self.probabilities))


def read_image(network: Network, image: np.ndarray) -> Reading:
    """Answer, probabilities and every hidden activation for one image (784 pixels, any shape),
    all from a single forward pass."""
    x = np.asarray(image, dtype=network.dtype).reshape(1, INPUTS)
    outputs = network.layer_outputs(x)
    layers = network.layers
    last_dense = max(i for i, layer in enumerate(layers) if isinstance(layer, Dense))
    hidden = [out[0].astype(np.float64) for i, (layer, out) in enumerate(zip(layers, outputs))
              if i < last_dense and isinstance(layer, (ReLU, Sigmoid, Tanh))]
    scores = network.output_probabilities(outputs[-1])
    return Reading(scores[0].astype(np.float64), as_shares(network, scores)[0].astype(np.float64), hidden)


def classify_drawing(network: Network, drawing: np.ndarray) -> dict:
    """Prepare a drawing like MNIST and classify it.

    Returns {"prediction": class or None, "probabilities": list of probabilities summing to 1
    (empty when nothing was drawn), "image": the (28, 28) float32 input the network saw, or None}.
    """
    image = preprocess_drawing(drawing)
    if image is None:
        return {"prediction": None, "probabilities": [], "image": None}
    probabilities = class_probabilities(network, image.reshape(1, INPUTS))[0]
    return {"prediction": int(np.argmax(probabilities)), "probabilities": [float(p) for p in probabilities],
            "image": image}
