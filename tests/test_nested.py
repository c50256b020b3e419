"""The nested split by writer (core/digits/nested.py): drawn once as its docstring says, the final
writers kept out of every choice, and the shipped recipe measured as the shipped network learns."""

import numpy as np
import pytest

from core.digits import nested, pendigits


def test_the_final_writers_are_the_seeded_draw_and_apart_from_the_choosing_ones():
    drawn = np.random.default_rng(nested.SPLIT_SEED).choice(np.arange(1, 31), 10, replace=False)
    assert nested.FINAL == tuple(sorted(drawn.tolist()))
    assert set(nested.CHOOSING) | set(nested.FINAL) == set(range(1, 31)) and not set(nested.CHOOSING) & set(
        nested.FINAL
    )
    folds = [writer for fold in nested.INNER_FOLDS for writer in fold]
    assert sorted(folds) == sorted(nested.CHOOSING) and len(folds) == len(set(folds)) == 20
    assert [len(fold) for fold in nested.INNER_FOLDS] == [5, 5, 5, 5]


def test_an_idea_draws_each_digit_as_written_then_in_random_variations():
    stroke = np.array([[0.0, 0.0], [30.0, 100.0], [60.0, 0.0]])
    digits = [pendigits.PenDigit(label, 1 + label % 2, (stroke * (1 + label / 10),)) for label in range(4)]
    recipe = nested.IDEAS["shipped"]
    images, labels, writers = nested.drawn(digits, recipe)
    expected = [pendigits.as_mnist(digits, span, width)[0] for span, width in recipe.drawings]
    expected += [pendigits.varied(digits, nested.VARIATION_SEED + copy)[0] for copy in range(recipe.variations)]
    assert np.array_equal(images, np.concatenate(expected)) and labels.tolist() == [0, 1, 2, 3] * recipe.copies
    assert writers.tolist() == [1, 2, 1, 2] * recipe.copies
    bent, _, _ = nested.drawn(digits, nested.IDEAS["bent strokes"])
    assert np.array_equal(bent[:8], images[:8]) and not np.array_equal(bent[8:], images[8:])  # only variations bend


def test_the_summary_is_each_seeds_mean_and_the_lowest_seed():
    rows = [
        {"seed": seed, "fold": fold, "pen_accuracy": value, "mnist_validation_accuracy": 1 - value / 10}
        for seed, values in ((0, (0.9, 1.0)), (1, (0.8, 0.9)))
        for fold, value in enumerate(values)
    ]
    figures = nested.summary(rows)
    assert figures["by_seed"][0]["pen_accuracy"] == pytest.approx(0.95)
    assert figures["lowest"]["pen_accuracy"] == pytest.approx(0.85)
    assert figures["lowest"]["mnist_validation_accuracy"] == pytest.approx(1 - 0.095)


def test_pen_figures_count_the_commonest_misreadings_as_the_page_reads():
    class ReadsEveryDigitAsA4:  # what Keras's predict_on_batch gives, for any batch
        def predict_on_batch(self, inputs):
            return np.tile(np.eye(10)[4], (len(inputs), 1))

    truth = np.array([4, 4, 5, 5, 5, 9])
    figures = nested._pen_figures(ReadsEveryDigitAsA4(), np.zeros((6, 28, 28), dtype=np.uint8), truth)
    assert figures["pen_accuracy"] == pytest.approx(2 / 6)
    assert figures["misread"] == [[5, 4, 3], [9, 4, 1]]
