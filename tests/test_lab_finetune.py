"""Fine-tuning on a class's handwriting: held-out digits are never trained on, a synthetic class's
held-out accuracy improves, and the original network is left as it was."""

import numpy as np
import pytest
from scipy import ndimage

from core.digits import data as mnist_data
from core.lab import finetune


def test_the_split_holds_out_about_a_third_of_every_digit_and_never_overlaps():
    labels = np.repeat(np.arange(10), [10, 3, 2, 1, 7, 7, 7, 7, 7, 20])
    parts = finetune.split(labels, seed=3)
    assert not set(parts.train) & set(parts.held_out)
    assert sorted([*parts.train, *parts.held_out]) == list(range(len(labels)))
    for digit, count in enumerate([10, 3, 2, 1, 7, 7, 7, 7, 7, 20]):
        held = int(np.sum(labels[parts.held_out] == digit))
        assert held == (0 if count < 2 else max(1, round(count * finetune.HELD_OUT_SHARE)))
    again = finetune.split(labels, seed=3)
    assert np.array_equal(again.train, parts.train) and np.array_equal(again.held_out, parts.held_out)


def thick_and_shifted(images):
    """A "class" that writes with a fat pen, off to the right: unlike anything in MNIST."""
    fat = ndimage.grey_dilation(images, size=(1, 3, 3))
    return np.roll(fat, 5, axis=2)


@pytest.mark.slow
def test_fine_tuning_teaches_a_synthetic_class_and_leaves_the_original_alone(trained_default):
    import keras

    from core.digits.model import DEFAULT
    from core.digits.saved import ModelStore

    model = ModelStore(trained_default.directory).load_keras(DEFAULT.key(trained_default.data.data_id))[0]
    weights = [w.copy() for w in model.get_weights()]
    sample = mnist_data.from_sample()  # digits beyond the small training file: new to the network
    x_class, y_class = thick_and_shifted(sample.x_train[1000:1300]), sample.y_train[1000:1300]
    tuned, summary = finetune.fine_tune(model, x_class, y_class, trained_default.data, seed=0)
    assert summary["class_digits_held_out"] == pytest.approx(90, abs=10)
    assert summary["held_out_after"] > summary["held_out_before"] + 0.05
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), weights))  # the original is untouched
    assert isinstance(tuned, keras.Model) and tuned is not model


def test_too_few_drawings_are_refused_in_words(trained_default):
    with pytest.raises(ValueError, match="too few drawings"):
        finetune.fine_tune(None, np.zeros((3, 28, 28), np.uint8), np.array([1, 2, 3]), trained_default.data)
