"""The sigmoid neuron: σ(z) = 1/(1 + e^(−z)) replaces the perceptron's hard step.

e is Euler's number, 2.71828…; each function sits beside its derivative.
"""

import math

import numpy as np

E = math.e  # 2.718281828…
# Sliders hold decimals such as 0.6, which a float keeps only nearly (0.59999…): a weighted sum that
# is exactly 0 by hand can come out as ±1e-16, and the step's z > 0 would then answer otherwise than
# the same sum done on paper. Rounded to this many places, far below any slider's step, it is 0.
Z_DECIMALS = 12


def sigmoid(z):
    """Return σ(z) = 1/(1 + e^(−z)), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    # For z < 0, e^(−z) overflows; σ(z) = e^z/(1 + e^z) is the same value and stays finite.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """Return σ'(z) = σ(z)·(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def step(z):
    """Return the perceptron's output: 1 where z > 0, else 0."""
    return (np.asarray(z) > 0).astype(float)  # exactly 0 counts as "no"


def step_prime(z):
    """Return the step's derivative: 0 everywhere except z = 0, where it is undefined."""
    return np.zeros_like(np.asarray(z, dtype=float))


def weighted_input(x, w, b):
    """Return z = w1·x1 + w2·x2 + b, rounded to Z_DECIMALS places (see there); never −0."""
    return round(float(np.dot(x, w) + b), Z_DECIMALS) + 0.0  # −0.0 + 0.0 is 0.0


def nudge(x, w, b, index, delta):
    """Compare step and sigmoid outputs before and after adding delta to weight w[index]."""
    w_after = np.array(w, dtype=float)
    w_after[index] += delta
    z_before, z_after = weighted_input(x, w, b), weighted_input(x, w_after, b)
    return {
        "z_before": z_before,
        "z_after": z_after,
        "step_before": float(step(z_before)),
        "step_after": float(step(z_after)),
        "sigmoid_before": float(sigmoid(z_before)),
        "sigmoid_after": float(sigmoid(z_after)),
    }
