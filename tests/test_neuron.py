import math

import numpy as np
import pytest

from core.lessons import neuron


def test_e_is_eulers_number():
    assert neuron.E == pytest.approx(2.718281828459045)


def test_sigmoid_matches_its_definition_and_stays_finite():
    z = np.linspace(-30, 30, 61)
    expected = [1 / (1 + math.exp(-v)) for v in z]
    assert neuron.sigmoid(z) == pytest.approx(expected, rel=1e-12)
    assert neuron.sigmoid(0.0) == 0.5
    with np.errstate(over="raise"):
        assert np.all(np.isfinite(neuron.sigmoid(np.array([-1000.0, 1000.0]))))


def test_sigmoid_prime_matches_finite_differences():
    z, h = np.linspace(-6, 6, 25), 1e-6
    numeric = (neuron.sigmoid(z + h) - neuron.sigmoid(z - h)) / (2 * h)
    assert neuron.sigmoid_prime(z) == pytest.approx(numeric, abs=1e-9)


def test_steep_sigmoid_approaches_the_step():
    z = np.array([-1.0, -0.1, 0.1, 1.0])
    assert neuron.sigmoid(200 * z) == pytest.approx(neuron.step(z), abs=1e-8)


def test_small_nudge_flips_the_step_but_barely_moves_the_sigmoid():
    effect = neuron.nudge((0.6, 0.4), (2.0, -1.0), -0.9, 0, 0.2)
    assert effect["z_before"] == pytest.approx(-0.1)
    assert effect["z_after"] == pytest.approx(0.02)
    assert (effect["step_before"], effect["step_after"]) == (0.0, 1.0)
    change = effect["sigmoid_after"] - effect["sigmoid_before"]
    assert change == pytest.approx(neuron.sigmoid(0.02) - neuron.sigmoid(-0.1))
    assert 0 < change < 0.05
