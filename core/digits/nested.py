"""How well the shipped network's recipe reads writers no choice ever saw: measured nested, by writer.

The 30 pendigits writers are split once into 20 CHOOSING writers and 10 FINAL writers. Ideas for the
recipe are compared only inside the choosing writers: cross-validated over INNER_FOLDS (four folds
of five writers: learn from fifteen, read the other five), and on MNIST's validation digits (the last
twelfth of its training set, which no network here learns from), never on MNIST's test set. The
chosen recipe is then trained on MNIST and all 20 choosing writers, once a seed, and read once on the
final writers and on MNIST's test set; those are the figures reported, and no choice is made after
they are seen (bench/pen.py --nested; bench/README.md keeps the table of ideas).

FINAL was drawn once, `numpy.random.default_rng(SPLIT_SEED).choice(range(1, 31), 10)`, before any
figure of this split was computed (tests/test_nested.py draws it again). Earlier rounds chose the
recipe on all 30 writers (bench/README.md); from this split on, the final writers decide nothing.
"""

import dataclasses
from collections import Counter

import numpy as np

from core.digits import config as mnist_config
from core.digits import pendigits

SPLIT_SEED = 45
WRITERS = tuple(range(1, 31))
FINAL = (13, 14, 16, 17, 20, 23, 24, 26, 27, 29)
CHOOSING = tuple(writer for writer in WRITERS if writer not in FINAL)
INNER_FOLDS = tuple(CHOOSING[start : start + 5] for start in range(0, len(CHOOSING), 5))
SEEDS = (0, 1, 2)  # every figure is reported for the lowest of three seeds
VARIATION_SEED = 1000  # the random variations' seeds: VARIATION_SEED, VARIATION_SEED + 1, …


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How the shipped network learns: the network's settings, and how each pen-written digit it
    learns from is drawn: at each (span, pen width) of `drawings`, and `variations` more times
    slanted, stretched and turned at random (pendigits.varied), bent by up to `wobble`."""

    config: mnist_config.Config = mnist_config.DEFAULT
    # (span, pen width) in canvas pixels: drawn large, as the page asks, and smaller
    drawings: tuple = ((pendigits.SPAN, pendigits.STROKE_WIDTH), (150, 14))
    variations: int = 2
    wobble: float = 0.0

    @property
    def copies(self):
        """How many drawings of each pen-written digit it learns from."""
        return len(self.drawings) + self.variations


IDEAS = {  # every idea measured (bench/README.md has the figures)
    "shipped": Recipe(),
    "4 variations": Recipe(variations=4),
    "bent strokes": Recipe(wobble=0.03),
}
CHOSEN = "shipped"  # the idea the shipped network is trained with (core/digits/shipped.py)


def drawn(digits, recipe):
    """Every digit drawn as `recipe` draws it, prepared as the page prepares a drawing:
    ((n, 28, 28) uint8 images, (n,) labels, (n,) the writer of each)."""
    images, labels = zip(
        *(pendigits.as_mnist(digits, span, width) for span, width in recipe.drawings),
        *(pendigits.varied(digits, VARIATION_SEED + copy, wobble=recipe.wobble) for copy in range(recipe.variations)),
    )
    writers = np.array([digit.writer for digit in digits])
    return np.concatenate(images), np.concatenate(labels), np.tile(writers, len(images))


def _train(data, drawings, writers, recipe, seed):
    from core.digits import model as mnist_model

    images, labels, drawn_by = drawings
    learnt = np.isin(drawn_by, writers)
    config = dataclasses.replace(recipe.config, seed=seed)
    return mnist_model.train(config, data, extra=(images[learnt], labels[learnt]))


def _accuracy(model, images, truth):
    """The share read right, each image read as the page reads a digit (with its shifted copies)."""
    return float(np.mean(_read(model, images) == truth))


def _read(model, images):
    from core.digits import model as mnist_model

    return mnist_model.classify(model, images).argmax(1)


def _pen_figures(model, images, truth):
    """The share of pen digits read right, and the commonest misreadings as [true, read as, count]."""
    read = _read(model, images)
    wrong = Counter((int(t), int(r)) for t, r in zip(truth, read) if t != r)
    return {"pen_accuracy": float(np.mean(read == truth)), "misread": [[*pair, n] for pair, n in wrong.most_common(5)]}


def inner(data, digits, recipe, seeds, report=None):
    """The recipe cross-validated inside the choosing writers: one row a seed and fold, with the
    fold's pen accuracy and MNIST's validation accuracy (never its test set)."""
    drawings = drawn(pendigits.writers_of(digits, CHOOSING), recipe)
    x_pen, y_pen = pendigits.as_mnist(digits)
    writers = np.array([digit.writer for digit in digits])
    n_validation = mnist_config.validation_split(len(data.x_train))[1]
    x_val, y_val = data.x_train[-n_validation:], data.y_train[-n_validation:]
    rows = []
    for seed in seeds:
        for number, fold in enumerate(INNER_FOLDS, 1):
            model, history = _train(data, drawings, [w for w in CHOOSING if w not in fold], recipe, seed)
            unseen = np.isin(writers, fold)
            rows.append(
                {
                    "seed": seed,
                    "fold": number,
                    "writers": list(fold),
                    "pen_digits": int(unseen.sum()),
                    **_pen_figures(model, x_pen[unseen], y_pen[unseen]),
                    "mnist_validation_accuracy": _accuracy(model, x_val, y_val),
                    "seconds": history["seconds"],
                }
            )
            if report:
                report(rows[-1])
    return rows


def final(data, digits, recipe, seeds, report=None):
    """The recipe trained on all choosing writers, once a seed, read once on the final writers and
    on MNIST's test set: one row a seed. Returns (rows, [(model, its training history)], one a seed)."""
    drawings = drawn(pendigits.writers_of(digits, CHOOSING), recipe)
    x_pen, y_pen = pendigits.as_mnist(pendigits.writers_of(digits, FINAL))
    rows, models = [], []
    for seed in seeds:
        model, history = _train(data, drawings, CHOOSING, recipe, seed)
        models.append((model, history))
        rows.append(
            {
                "seed": seed,
                "final_writers": list(FINAL),
                "pen_digits": int(len(y_pen)),
                **_pen_figures(model, x_pen, y_pen),
                "mnist_test_accuracy": _accuracy(model, data.x_test, data.y_test),
                "seconds": history["seconds"],
            }
        )
        if report:
            report(rows[-1])
    return rows, models


def summary(rows):
    """For each seed, the mean over its rows of every accuracy; then the lowest over the seeds."""
    names = [name for name in rows[0] if name.endswith("accuracy")]
    by_seed = {seed: [row for row in rows if row["seed"] == seed] for seed in sorted({row["seed"] for row in rows})}
    means = {
        seed: {name: float(np.mean([row[name] for row in runs])) for name in names} for seed, runs in by_seed.items()
    }
    return {
        "seeds": list(by_seed),
        "by_seed": means,
        "lowest": {name: min(mean[name] for mean in means.values()) for name in names},
    }
