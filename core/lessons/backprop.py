"""Backpropagation: the slope of the cost for every weight and bias, in one backward pass.

A network of sigmoid layers, in Nielsen's notation: layer l computes z = W·a_in + b and
a = σ(z), where a_in is the layer before's output (the inputs x for the first layer). The cost of
one example is C = ½‖y − a_out‖². With δ = ∂C/∂z, a neuron's "error":

    BP1  δ_out = (a_out − y) ⊙ σ′(z_out)              the output layer's error
    BP2  δ_l = (W_{l+1}ᵀ · δ_{l+1}) ⊙ σ′(z_l)          each earlier layer's, from the one after
    BP3  ∂C/∂b = δ                                      a bias's slope is its neuron's error
    BP4  ∂C/∂w_jk = a_in,k · δ_j                        a weight's slope: input times error

The lesson's network is 2 inputs → 2 hidden neurons → 1 output, small enough to read whole; the
same code runs Nielsen's 784-30-10 MNIST network.
"""

from dataclasses import dataclass

import numpy as np

from core.i18n import N_
from core.lessons.neuron import sigmoid, sigmoid_prime

SIZES = (2, 2, 1)  # the lesson's network
INPUT_NAMES = ("x1", "x2")
NEURON_NAMES = (("h1", "h2"), ("out",))  # per layer after the inputs
# The France question of the perceptron lesson: x1 = the ticket is cheap, x2 = my partner comes;
# go (1) only when both are true, as with w1 = 4, w2 = 3 and threshold 4.
FRANCE = {  # named in English, marked to be shown in the reader's language (core/i18n.py)
    N_("cheap ticket, partner comes: go"): ((1.0, 1.0), 1.0),
    N_("cheap ticket, partner stays home: stay"): ((1.0, 0.0), 0.0),
    N_("dear ticket, partner comes: stay"): ((0.0, 1.0), 0.0),
    N_("dear ticket, partner stays home: stay"): ((0.0, 0.0), 0.0),
}
EPSILON = 1e-6  # the nudge of a central finite difference


def _flat(weights, biases):
    """Per layer, the weights row by row, then the biases, in one vector."""
    return np.concatenate([part for w, b in zip(weights, biases) for part in (w.ravel(), b)])


@dataclass(frozen=True)
class Network:
    """Weights per layer, each (n_out, n_in), and biases per layer, each (n_out,)."""

    weights: tuple
    biases: tuple

    @classmethod
    def random(cls, sizes, seed=0):
        """Gaussian weights scaled by 1/√n_in and zero-mean biases, as Nielsen's book starts."""
        rng = np.random.default_rng(seed)
        return cls(
            tuple(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in zip(sizes, sizes[1:])),
            tuple(rng.standard_normal(n_out) for n_out in sizes[1:]),
        )

    @classmethod
    def from_flat(cls, sizes, values):
        """The inverse of `flat`."""
        values, weights, biases, at = np.asarray(values, dtype=float), [], [], 0
        for n_in, n_out in zip(sizes, sizes[1:]):
            weights.append(values[at : at + n_in * n_out].reshape(n_out, n_in))
            at += n_in * n_out
            biases.append(values[at : at + n_out])
            at += n_out
        return cls(tuple(weights), tuple(biases))

    @property
    def sizes(self):
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))

    def flat(self):
        """Every parameter in one vector: per layer, the weights row by row, then the biases."""
        return _flat(self.weights, self.biases)

    def step(self, gradients, learning_rate):
        """Return the network after one step of gradient descent: p ← p − η·∂C/∂p."""
        return Network(
            tuple(w - learning_rate * g for w, g in zip(self.weights, gradients.weights)),
            tuple(b - learning_rate * g for b, g in zip(self.biases, gradients.biases)),
        )


@dataclass(frozen=True)
class Parameter:
    """One weight or bias of the network, named by what it connects."""

    source: str  # the input or neuron a weight multiplies; "" for a bias
    target: str  # the neuron it feeds

    @property
    def is_bias(self):
        return not self.source

    @property
    def name(self):
        """ "x1→h1" for a weight, "bias h1" for a bias."""
        return f"bias {self.target}" if self.is_bias else f"{self.source}→{self.target}"


def parameters(sizes=SIZES):
    """Every weight and bias in `flat` order: per layer, each neuron's weights, then the biases."""
    names = (
        [INPUT_NAMES, *NEURON_NAMES]
        if sizes == SIZES
        else [[f"L{layer}.{i + 1}" for i in range(size)] for layer, size in enumerate(sizes)]
    )
    return [
        parameter
        for layer in range(1, len(sizes))
        for parameter in [Parameter(source, target) for target in names[layer] for source in names[layer - 1]]
        + [Parameter("", target) for target in names[layer]]
    ]


def largest(names, slopes):
    """The names whose slope is largest in size: the parameters the next update moves most. Several
    when their slopes are equal, as a weight fed an input of 1 and its neuron's bias always are."""
    sizes = np.abs(np.asarray(slopes, dtype=float))
    return tuple(name for name, size in zip(names, sizes) if size == sizes.max())


def parameter_names(sizes=SIZES):
    """Readable names in `flat` order: "x1→h1" for a weight, "bias h1" for a bias."""
    return [parameter.name for parameter in parameters(sizes)]


@dataclass(frozen=True)
class Forward:
    """One forward pass: z per layer, and a per layer with the inputs first (a[0] = x)."""

    zs: list
    activations: list

    @property
    def output(self):
        return self.activations[-1]


@dataclass(frozen=True)
class Gradients:
    """δ per layer, and ∂C/∂W, ∂C/∂b shaped as the network's weights and biases."""

    deltas: list
    weights: list
    biases: list

    def flat(self):
        """The slopes in Network.flat's order, so that slope i belongs to parameter i."""
        return _flat(self.weights, self.biases)


def forward(network, x):
    """Return the forward pass for one input x of shape (n_inputs,)."""
    activations, zs = [np.asarray(x, dtype=float)], []
    for w, b in zip(network.weights, network.biases):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    return Forward(zs, activations)


def cost(network, x, y):
    """Return C = ½‖y − a_out‖² for one example."""
    return float(0.5 * np.sum((np.asarray(y, dtype=float) - forward(network, x).output) ** 2))


def backward(network, passed, y):
    """Return every gradient from one forward pass `passed` and the target y (BP1–BP4)."""
    deltas = [(passed.output - np.asarray(y, dtype=float)) * sigmoid_prime(passed.zs[-1])]  # BP1
    for layer in range(len(network.weights) - 1, 0, -1):
        deltas.insert(0, (network.weights[layer].T @ deltas[0]) * sigmoid_prime(passed.zs[layer - 1]))  # BP2
    weights = [np.outer(delta, a_in) for delta, a_in in zip(deltas, passed.activations)]  # BP4
    return Gradients(deltas, weights, list(deltas))  # BP3: ∂C/∂b = δ


def gradient(network, x, y):
    """Return the gradients of C for one example: a forward pass, then a backward pass."""
    return backward(network, forward(network, x), y)


def costs(networks, examples):
    """Return C for every network on every example, shape (n_networks, n_examples), in one batched
    forward pass (the cost of a whole training run, without a Python loop per network)."""
    x = np.array([xi for xi, _ in examples], dtype=float)  # (examples, inputs)
    y = np.array([np.atleast_1d(yi) for _, yi in examples], dtype=float)  # (examples, outputs)
    a = np.broadcast_to(x, (len(networks), *x.shape))  # (networks, examples, inputs)
    for layer in range(len(networks[0].weights)):
        w = np.stack([network.weights[layer] for network in networks])  # (networks, out, in)
        b = np.stack([network.biases[layer] for network in networks])  # (networks, out)
        a = sigmoid(np.einsum("noi,nei->neo", w, a) + b[:, None, :])
    return 0.5 * np.sum((y[None] - a) ** 2, axis=2)


def finite_differences(network, x, y, epsilon=EPSILON):
    """Return ∂C/∂p ≈ (C(p + ε) − C(p − ε)) / 2ε for every parameter p, in `flat` order: two
    forward passes per parameter."""
    estimates = []
    for w, b in zip(network.weights, network.biases):
        for array in (w, b):  # each parameter is nudged in place, then put back
            part = np.empty(array.shape)
            for index in np.ndindex(array.shape):
                kept = array[index]
                array[index] = kept + epsilon
                up = cost(network, x, y)
                array[index] = kept - epsilon
                part[index] = (up - cost(network, x, y)) / (2 * epsilon)
                array[index] = kept
            estimates.append(part.ravel())
    return np.concatenate(estimates)


def train(network, examples, learning_rate, updates):
    """Run `updates` steps of stochastic gradient descent, one example at a time, taking
    `examples` ((x, y) pairs) in turn. Return the network after each update and the mean cost
    over all the examples after each update."""
    networks = []
    for number in range(updates):
        x, y = examples[number % len(examples)]
        network = network.step(gradient(network, x, y), learning_rate)
        networks.append(network)
    return networks, costs(networks, examples).mean(axis=1).tolist() if networks else []


def work_counts(sizes):
    """Return (parameters, forward passes for finite differences, passes for backpropagation)."""
    parameters = sum((inputs + 1) * outputs for inputs, outputs in zip(sizes, sizes[1:]))  # weights, biases
    return parameters, 2 * parameters, 2  # backpropagation: one forward and one backward pass
