import numpy as np
import pytest
from sklearn.linear_model import Perceptron

from core.lessons import perceptron

FRANCE_W = (perceptron.FRANCE["w1"], perceptron.FRANCE["w2"])
FRANCE_B = -perceptron.FRANCE["threshold"]


def test_france_truth_table():
    table = perceptron.truth_table(FRANCE_W, FRANCE_B)
    assert [(r["x1"], r["x2"], r["z"], r["output"]) for r in table] == [
        (0, 0, -4, 0),
        (1, 0, 0, 0),  # exactly 0 is not > 0: stay
        (0, 1, -1, 0),
        (1, 1, 3, 1),
    ]


def test_cheap_ticket_alone_goes_once_the_threshold_is_lowered():
    assert perceptron.decide((1, 0), FRANCE_W, -3.5) == 1


def outputs(weights):
    table = perceptron.truth_table((weights["w1"], weights["w2"]), weights["bias"])
    return {(r["x1"], r["x2"]): (r["z"], r["output"]) for r in table}


def test_nielsens_weights_make_a_nand_gate():
    assert outputs(perceptron.NAND) == {(0, 0): (3, 1), (1, 0): (1, 1), (0, 1): (1, 1), (1, 1): (-1, 0)}


def test_lesson_weights_miss_nand_at_exactly_zero():
    # −2, −3, 3: (0, 1) lands exactly on the boundary, so the strict rule outputs 0, not NAND's 1
    assert outputs(perceptron.LESSON_NAND) == {(0, 0): (3, 1), (1, 0): (1, 1), (0, 1): (0, 0), (1, 1): (-2, 0)}


def test_step_is_strict():
    assert list(perceptron.step([-1e-9, 0.0, 1e-9])) == [0, 0, 1]


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
def test_rule_learns_separable_gates_like_scikit_learn(gate):
    targets = perceptron.GATES[gate]
    run = perceptron.train(targets)
    assert run.converged_ and run.mistakes_[-1] == 0
    w1, w2, b = run.weights_[-1]
    assert np.array_equal(perceptron.decide(perceptron.INPUTS, (w1, w2), b), targets)
    reference = Perceptron(max_iter=100, tol=None, shuffle=False, random_state=0).fit(perceptron.INPUTS, targets)
    assert np.array_equal(reference.predict(perceptron.INPUTS), targets)


def test_xor_never_converges_for_either_implementation():
    targets = perceptron.GATES["XOR"]
    run = perceptron.train(targets, epochs=200)
    assert not run.converged_ and min(run.mistakes_) > 0
    reference = Perceptron(max_iter=200, tol=None, shuffle=False, random_state=0).fit(perceptron.INPUTS, targets)
    assert reference.score(perceptron.INPUTS, targets) < 1.0
