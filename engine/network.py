"""A sequential neural network: a list of layers and a loss. A good first file to read.

Training one batch is three movements:

1. **forward** – push the inputs through every layer in turn to get the outputs;
2. **loss**    – compare outputs with the targets: one number, how wrong we are;
3. **backward** – walk the layers in reverse, each turning dL/d(its output) into dL/d(its input)
   and leaving dL/d(its weights) in ``Parameter.grad`` (the chain rule, one layer at a time).

An optimizer then nudges every weight against its gradient. ``Network`` never updates weights itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.activations import ACTIVATIONS, Softmax, make_activation, softmax
from engine.layers import Dense, Layer
from engine.losses import Loss, make_loss
from engine.model_file import FORMAT_VERSION, ModelFileError, NonFiniteWeightsError, load_network, save_network
from engine.parameters import Parameter

__all__ = ["Network", "build_mlp", "ModelFileError", "NonFiniteWeightsError", "FORMAT_VERSION"]


class Network:
    def __init__(self, layers: list[Layer], loss: Loss):
        self.layers = list(layers)
        self.loss = loss

    # --- the three movements -------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Outputs for a batch x of shape (N, n_in); raw scores (logits) if the loss takes logits."""
        return self.layer_outputs(x)[-1]

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """The output of every layer for a batch x, in order (the last is ``forward(x)``).

        One pass gives everything a view of the network's insides needs (hidden activations and
        answer together), instead of one pass per thing shown.
        """
        outputs = []
        for layer in self.layers:
            x = layer.forward(x)
            outputs.append(x)
        return outputs

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Backpropagate dL/d(output); fills every Parameter.grad and returns dL/d(input).

        With ``input_grad=False`` (training) the first Dense layer skips dL/d(input) and None is returned.
        """
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            if i == 0 and not input_grad and isinstance(layer, Dense):
                return layer.backward(grad, need_input_grad=False)
            grad = layer.backward(grad)
        return grad

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> float:
        """One forward and one backward pass: returns the loss, leaves the gradients in place."""
        output = self.forward(x)
        loss = self.loss.forward(output, y)
        self.backward(self.loss.backward(output, y), input_grad=False)
        return loss

    # --- using the network ---------------------------------------------------------------------
    def loss_value(self, x: np.ndarray, y: np.ndarray) -> float:
        return self.loss.forward(self.forward(x), y)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.output_probabilities(self.forward(x))

    def output_probabilities(self, output: np.ndarray) -> np.ndarray:
        """The last layer's output as the loss reads it: softmax of logits, else the output itself."""
        return softmax(output) if self.loss.takes_logits else output

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.argmax(self.forward(x), axis=1)  # softmax keeps the order, so logits suffice

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        labels = y if y.ndim == 1 else np.argmax(y, axis=1)
        return float(np.mean(self.predict(x) == labels))

    # --- parameters ----------------------------------------------------------------------------
    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def parameter_count(self) -> int:
        return sum(p.size for p in self.parameters())

    def get_weights(self) -> list[np.ndarray]:
        return [p.value.copy() for p in self.parameters()]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        params = self.parameters()
        if len(weights) != len(params):
            raise ValueError(f"expected {len(params)} arrays, got {len(weights)}")
        for p, w in zip(params, weights):
            if w.shape != p.value.shape:
                raise ValueError(f"{p.name}: expected shape {p.value.shape}, got {w.shape}")
            p.value[...] = w

    def is_finite(self) -> bool:
        """No weight is NaN or infinite (training that diverged leaves such weights)."""
        return all(np.all(np.isfinite(p.value)) for p in self.parameters())

    def gradients(self) -> list[np.ndarray]:
        return [p.grad.copy() for p in self.parameters()]

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def layer_sizes(self) -> list[int]:
        dense = self.dense_layers
        return [dense[0].n_in] + [d.n_out for d in dense] if dense else []

    @property
    def dtype(self):
        params = self.parameters()
        return params[0].value.dtype if params else np.dtype(np.float64)

    def copy(self) -> "Network":
        twin = Network.from_spec(self.spec())
        twin.set_weights(self.get_weights())
        return twin

    def __repr__(self) -> str:
        return f"Network({' → '.join(map(repr, self.layers))}; {self.loss!r})"

    # --- architecture and files ----------------------------------------------------------------
    def spec(self) -> dict:
        return {"format": FORMAT_VERSION, "layers": [layer.spec() for layer in self.layers],
                "loss": self.loss.name, "dtype": str(np.dtype(self.dtype))}

    @classmethod
    def from_spec(cls, spec: dict) -> "Network":
        dtype = np.dtype(spec.get("dtype", "float64"))
        layers: list[Layer] = []
        for item in spec["layers"]:
            kind = item["type"]
            if kind == "dense":
                layers.append(Dense(int(item["n_in"]), int(item["n_out"]), item.get("init", "small"),
                                    rng=0, dtype=dtype))
            elif kind in ACTIVATIONS:
                layers.append(make_activation(kind))
            else:
                raise ValueError(f"unknown layer type {kind!r}")
        return cls(layers, make_loss(spec["loss"]))

    def save(self, path: str | Path) -> Path:
        """Write architecture and weights to one .npz that loads without pickle (see engine.model_file):
        atomically, and never with NaN or infinite weights."""
        return save_network(self, path)

    @classmethod
    def load(cls, path: str | Path) -> "Network":
        """Read a file written by ``save``, checked before anything is allocated; any problem raises
        ModelFileError saying what is wrong."""
        return load_network(path)


def build_mlp(sizes=(784, 16, 16, 10), activation: str = "relu", loss: str = "softmax_ce",
              init: str = "he", seed: int | np.random.Generator | None = 0, dtype=np.float64) -> Network:
    """A multilayer perceptron: Dense layers of the given sizes with an activation between them.

    The output end depends on the loss: "softmax_ce" leaves raw scores (the loss applies softmax),
    "cce" appends a Softmax layer, and the squared-error losses put the hidden activation on the
    output too when it is sigmoid (the 3Blue1Brown network: sigmoid everywhere), else leave it linear.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output size")
    if activation not in ("relu", "sigmoid", "tanh"):
        raise ValueError(f"unknown hidden activation {activation!r}; choose relu, sigmoid or tanh")
    rng = np.random.default_rng(seed) if not isinstance(seed, np.random.Generator) else seed
    loss_obj = make_loss(loss)
    layers: list[Layer] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, rng=rng, dtype=dtype))
        last = i == len(sizes) - 2
        if not last:
            layers.append(make_activation(activation))
    if loss == "cce":
        layers.append(Softmax())
    elif loss in ("sse", "mse") and activation == "sigmoid":
        layers.append(make_activation("sigmoid"))
    return Network(layers, loss_obj)
