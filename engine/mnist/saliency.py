"""Which pixels drove the answer: derivatives with respect to the input instead of the weights.

Backpropagation does not stop at the first layer: one more step gives the derivative of any
output with respect to every pixel. Two of them are used in the lesson:

* ``score_gradients`` – ∂z_c/∂x, how the score of class c would move if a pixel got a little more
  ink (a *saliency map*, Simonyan, Vedaldi & Zisserman 2013). The score is the output neuron's
  weighted input z_c (the logit), not its probability, so the map is about the evidence for c
  rather than against the other classes.
* ``loss_gradients`` – ∂L/∂x, which pixels raise the cost of the right answer: the direction the
  gradient attack (engine.mnist.attacks) pushes an image in.

What a saliency map does and does not prove: it describes a *tiny* change of this one image. It
does not say what the network "looks at" in general, nor what a larger change would do, and a
pixel with a small derivative may still matter together with others. The raw map is speckled,
because the first-layer weights are; ``smooth_score_gradient`` (SmoothGrad, Smilkov et al. 2017)
averages it over copies of the image with Gaussian noise added, which keeps what is stable.
"""

from __future__ import annotations

import numpy as np

from engine.layers import Dense, Layer, as_generator
from engine.network import Network

#: SmoothGrad's defaults: noise of 15% of the pixel range (the paper finds 10-20% works best).
SMOOTH_NOISE = 0.15
SMOOTH_SAMPLES = 50


def _batch(network: Network, images: np.ndarray) -> np.ndarray:
    x = np.asarray(images, dtype=network.dtype)
    inputs = network.layer_sizes[0]
    if x.size % inputs or x.size == 0:
        raise ValueError(f"expected inputs of {inputs} values each (784 pixels for a digit), got {x.shape}")
    return x.reshape(-1, inputs)


def _classes(network: Network, classes, rows: int) -> np.ndarray:
    wanted = np.broadcast_to(np.asarray(classes, dtype=np.int64), (rows,))
    count = network.layer_sizes[-1]
    if wanted.min() < 0 or wanted.max() >= count:
        raise ValueError(f"classes must be 0..{count - 1} for this network, got {wanted.min()}..{wanted.max()}")
    return wanted


def _back_to_input(layers: list[Layer], grad: np.ndarray) -> np.ndarray:
    """Carry a gradient from the output of `layers` (just run forward) back to their input."""
    for layer in reversed(layers):
        grad = layer.input_gradient(grad)
    return grad


def score_gradients(network: Network, images: np.ndarray, classes) -> np.ndarray:
    """∂z_c/∂x for each image (N images of 784 pixels) and its class c (one int, or N of them).

    Shape (N, 784), in the network's float type. No parameter gradient is touched.
    """
    x = _batch(network, images)
    last_dense = max(i for i, layer in enumerate(network.layers) if isinstance(layer, Dense))
    layers = network.layers[:last_dense + 1]
    scores = x
    for layer in layers:
        scores = layer.forward(scores)
    wanted = _classes(network, classes, x.shape[0])
    grad = np.zeros_like(scores)
    grad[np.arange(x.shape[0]), wanted] = 1
    return _back_to_input(layers, grad)


def loss_gradients(network: Network, images: np.ndarray, labels) -> np.ndarray:
    """∂L/∂x of each image's own cost against its label (one int, or N of them): shape (N, 784)."""
    x = _batch(network, images)
    output = network.forward(x)
    wanted = _classes(network, labels, x.shape[0])
    # The loss is a mean over the batch; undo the 1/N so every row is its own example's gradient.
    grad = network.loss.backward(output, wanted) * x.shape[0]
    return _back_to_input(network.layers, grad)


def smooth_score_gradient(network: Network, image: np.ndarray, cls: int, noise: float = SMOOTH_NOISE,
                          samples: int = SMOOTH_SAMPLES, seed: int | np.random.Generator = 0) -> np.ndarray:
    """SmoothGrad: ∂z_c/∂x averaged over `samples` copies of one image with N(0, noise²) added to
    every pixel (noise in units of the pixel range 0..1). Shape (784,), float64."""
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"the noise level must be zero or more, got {noise}")
    if samples < 1:
        raise ValueError(f"SmoothGrad needs at least one sample, got {samples}")
    x = _batch(network, image)
    if x.shape[0] != 1:
        raise ValueError(f"expected one image, got {x.shape[0]}")
    noisy = x + noise * as_generator(seed).standard_normal((samples, x.shape[1]))
    return score_gradients(network, noisy, cls).mean(axis=0, dtype=np.float64)
