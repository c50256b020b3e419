"""The default handwriting network, trained ahead of time and kept in the repository: a hosted link
answers its first visitor at once, and no class waits while the same network trains again.

    models/default.keras         the trained network (trainers read it: the class lab's fine-tuning)
    models/default.onnx          what the web server serves it from, without TensorFlow
    models/default.weights.npz   (core/digits/network.py)
    models/default.json          its card: configuration, training data, accuracies, training
                                 time, and every file's sha256

`python -m core.digits.pretrain --export` makes them all again; `--serving-files` makes only the
serving files, from the `.keras` file. `$NN_EXPLORER_SHIPPED` names another folder
to take them from (an empty one: the default network is trained like any other). Besides MNIST's training digits, the
network learns from real pen-written digits of 20 of the 30 pendigits writers (PEN_WRITERS), drawn
as the page's canvas holds a drawing, twice as drawn and PEN_VARIATIONS times slanted, stretched and
turned at random; writers 21–30 are kept apart to measure it (bench/pen.py), and the page also
reports the figure cross-validated over all 30 writers (`bench.pen --cross-validate`).
"""

import dataclasses
import json
import logging
import time
from pathlib import Path

from core import settings
from core.digits import config as mnist_config
from core.digits import pendigits
from core.digits.network import serving_files_problem, serving_record, sha256
from core.digits.store import valid_metadata

DIRECTORY = settings.DEFAULT_SHIPPED
NAME = "default"
PEN_WRITERS = tuple(range(1, 21))  # the pendigits writers it learns from; writers 21–30 are never seen
PEN_DRAWINGS = ((pendigits.SPAN, pendigits.STROKE_WIDTH), (150, 14))  # (size, pen width): drawn large, and smaller
PEN_VARIATIONS = 2  # more copies, each distorted at random and drawn at a random size and pen width
VARIATION_SEED = 1000
FOLDS = (range(1, 11), range(11, 21), range(21, 31))  # cross-validation: three folds of ten writers
MAX_BYTES = 2 * 1024 * 1024
LOG = logging.getLogger(__name__)


def folder(directory=None):
    """`directory`, else $NN_EXPLORER_SHIPPED, else models/ (core/settings.py)."""
    return Path(directory or settings.shipped_directory())


def paths(directory=None):
    """The shipped network's file and its card."""
    return folder(directory) / f"{NAME}.keras", folder(directory) / f"{NAME}.json"


def serving_paths(directory=None):
    """The files the server serves it from: its ONNX file and its weights."""
    return folder(directory) / f"{NAME}.onnx", folder(directory) / f"{NAME}.weights.npz"


def card(directory=None):
    """Return the shipped network's card (its metadata), or None if it is missing or unreadable."""
    try:
        metadata = json.loads(paths(directory)[1].read_text())
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) and valid_metadata(metadata) else None


def _config(metadata):
    try:
        return mnist_config.Config(**metadata["config"])
    except (KeyError, TypeError, ValueError):
        return None


def problem(directory=None):
    """Return why the shipped network cannot be used, in words, or None when it can."""
    network, _ = paths(directory)
    metadata = card(directory)
    if metadata is None or not network.exists():
        return "no shipped network (or its card is missing or damaged)"
    if _config(metadata) != mnist_config.DEFAULT:
        return "the shipped network was trained with other settings than today's default"
    if sha256(network) != metadata.get("sha256"):
        return "the shipped network's file does not match the checksum on its card"
    why = serving_files_problem(metadata.get("serving", {}), *serving_paths(directory))
    return None if why is None else f"the shipped network's serving files cannot be used: {why}"


def load(directory=None):
    """Return (network, metadata) of the shipped network, the network a core.digits.network.Network,
    or None (and a log line saying why) if it is missing, damaged, or not today's default network:
    the page then trains that network as usual."""
    from core.digits.network import Network, ServingFilesError

    why = problem(directory)
    if why is None:
        try:
            return Network.load(*serving_paths(directory)), card(directory)
        except ServingFilesError as error:
            why = f"the shipped network cannot be served: {error}"
    LOG.warning("%s; the default network will be trained instead", why)
    return None


def load_keras(directory=None):
    """Return (Keras model, metadata) of the shipped network, or None, for a trainer (the class
    lab's fine-tuning starts from it). Imports TensorFlow."""
    import keras

    if problem(directory) is None:
        try:
            return keras.models.load_model(paths(directory)[0], compile=False), card(directory)
        except Exception as error:  # a file from an incompatible Keras, say
            LOG.warning("the shipped network cannot be loaded: %s: %s", type(error).__name__, error)
    return None


def write_serving_files(directory=DIRECTORY):
    """Make the shipped network's serving files from its `.keras` file and put their sha256 on its
    card. Return the card."""
    import keras

    from core.digits import serving

    network, card_path = paths(directory)
    metadata = json.loads(card_path.read_text())
    onnx_path, weights_path = serving_paths(directory)
    serving.write(keras.models.load_model(network, compile=False), onnx_path, weights_path)
    metadata["serving"] = serving_record(onnx_path, weights_path)
    metadata["bytes"] = sum(path.stat().st_size for path in (network, onnx_path, weights_path))
    card_path.write_text(json.dumps(metadata, indent=1) + "\n")
    return metadata


def judged_on(metadata, dataset):
    """True if `dataset`'s test digits are the ones the network was measured on and never learnt
    from. The shipped network learnt from all 60,000 MNIST training digits; the offline sample's
    5,000 digits are among them, so they are no test for it."""
    return metadata.get("mnist_data_id", dataset.data_id) == dataset.data_id


def pen_training_digits(digits, writers=PEN_WRITERS):
    """The pen-written digits of `writers`, each drawn at every size of PEN_DRAWINGS and in
    PEN_VARIATIONS random variations (pendigits.varied), prepared as the page prepares a drawing:
    ((n, 28, 28) uint8, (n,) uint8). About 8 ms a drawing."""
    images, labels, _ = _pen_drawings(pendigits.writers_of(digits, writers))
    return images, labels


def _pen_drawings(digits):
    """pen_training_digits's drawings of `digits`, and each drawing's writer."""
    import numpy as np

    images, labels = zip(
        *(pendigits.as_mnist(digits, span, width) for span, width in PEN_DRAWINGS),
        *(pendigits.varied(digits, VARIATION_SEED + copy) for copy in range(PEN_VARIATIONS)),
    )
    writers = np.array([digit.writer for digit in digits])
    return np.concatenate(images), np.concatenate(labels), np.tile(writers, len(images))


def cross_validate(data, digits, seeds=(0,), report=None, folds=None):
    """How the default recipe reads writers it never saw, cross-validated by writer: for each seed
    and each fold of FOLDS (or only those numbered in `folds`, from 1), train on MNIST and the pen
    digits of the other folds' writers, then read the fold's digits drawn as the page draws them,
    and MNIST's test digits. Return one dict a training, with its fold, seed, both accuracies and
    its training seconds; `report(row)` hears of each. About 7 epochs of Keras's example convnet a training."""
    import numpy as np

    from core.digits import model as mnist_model

    images, labels, drawn_by = _pen_drawings(digits)
    x_pen, y_pen = pendigits.as_mnist(digits)
    writers = np.array([digit.writer for digit in digits])
    rows = []
    for seed in seeds:
        for fold, held_out in enumerate(FOLDS):
            if folds and fold + 1 not in folds:
                continue
            learnt = ~np.isin(drawn_by, held_out)
            config = dataclasses.replace(mnist_config.DEFAULT, seed=seed)
            model, history = mnist_model.train(config, data, extra=(images[learnt], labels[learnt]))
            unseen = np.isin(writers, held_out)

            def accuracy(images, truth, shifted=True):
                return float(np.mean(mnist_model.classify(model, images, shifted=shifted).argmax(1) == truth))

            rows.append(
                {
                    "seed": seed,
                    "fold": fold + 1,
                    "writers": f"{held_out[0]}-{held_out[-1]}",
                    "pen_digits": int(unseen.sum()),
                    "pen_accuracy": accuracy(x_pen[unseen], y_pen[unseen]),
                    "mnist_test_accuracy": accuracy(data.x_test, data.y_test),
                    # read once, without the shifted copies (config.py's SHIFTS)
                    "pen_accuracy_read_once": accuracy(x_pen[unseen], y_pen[unseen], shifted=False),
                    "mnist_test_accuracy_read_once": accuracy(data.x_test, data.y_test, shifted=False),
                    "seconds": history["seconds"],
                }
            )
            if report:
                report(rows[-1])
    return rows


def cross_validated(rows):
    """The figures of cross_validate's rows: for each seed, the mean over its folds of the pen
    accuracy, its lowest MNIST test accuracy, and the MNIST test accuracy of the fold that learnt
    from PEN_WRITERS, as the shipped network does; then the lowest of each over the seeds."""
    seeds = sorted({row["seed"] for row in rows})
    by_seed = {seed: [row for row in rows if row["seed"] == seed] for seed in seeds}
    shipped_fold = next(
        number
        for number, held_out in enumerate(FOLDS, 1)
        if set(PEN_WRITERS) == {writer for fold in FOLDS if fold != held_out for writer in fold}
    )
    as_shipped = {
        seed: row["mnist_test_accuracy"]
        for seed, runs in by_seed.items()
        for row in runs
        if row["fold"] == shipped_fold
    }
    summary = {
        "seeds": seeds,
        "folds": len({row["fold"] for row in rows}),
        "mnist_as_shipped_by_seed": as_shipped,
        "mnist_as_shipped_lowest": min(as_shipped.values(), default=None),
    }
    for ending in ("", "_read_once"):
        pen = {seed: sum(row[f"pen_accuracy{ending}"] for row in runs) / len(runs) for seed, runs in by_seed.items()}
        mnist = {seed: min(row[f"mnist_test_accuracy{ending}"] for row in runs) for seed, runs in by_seed.items()}
        summary |= {
            f"pen_accuracy_by_seed{ending}": pen,
            f"mnist_lowest_by_seed{ending}": mnist,
            f"pen_accuracy_lowest_seed{ending}": min(pen.values()),
            f"mnist_test_lowest{ending}": min(mnist.values()),
        }
    return summary


def export(data, directory=DIRECTORY, report=None, folds_report=None):
    """Cross-validate the default recipe by writer (cross_validate, with the default seed), train
    the default network on `data` (full MNIST) and the pen digits of PEN_WRITERS, measure it, and
    write the network and its card to `directory`. Return the card. Four trainings and the pen
    digits' drawings: about 10 minutes on 2 cores."""
    import numpy as np

    from core.digits import model as mnist_model

    digits = pendigits.read()
    folds = cross_validate(data, digits, (mnist_config.DEFAULT.seed,), folds_report)
    extra = pen_training_digits(digits)
    model, history = mnist_model.train(mnist_config.DEFAULT, data, report, extra=extra)
    unseen = [digit for digit in digits if digit.writer not in PEN_WRITERS]
    x_pen, y_pen = pendigits.as_mnist(unseen)
    predicted = mnist_model.classify(model, x_pen).argmax(1)
    network, card_path = paths(directory)
    network.parent.mkdir(parents=True, exist_ok=True)
    model.save(network)
    n_mnist = mnist_model.validation_split(len(data.x_train))[0]
    copies = len(PEN_DRAWINGS) + PEN_VARIATIONS
    metadata = {
        "key": f"{NAME}-{sha256(network)[:16]}",
        "config": dataclasses.asdict(mnist_config.DEFAULT),
        "data_source": f"{n_mnist:,} MNIST training digits ({data.source}) and {len(extra[0]) // copies:,} "
        f"digits drawn with a pen by {len(PEN_WRITERS)} other people (pendigits), each drawn "
        f"{copies} times as on this page's canvas: {len(PEN_DRAWINGS)} as written, at two sizes, and "
        f"{PEN_VARIATIONS} slanted, stretched and turned at random, at random sizes and pen widths",
        "n_train": int(n_mnist + len(extra[0])),
        "n_test": int(len(data.x_test)),
        "mnist_data_id": data.data_id,
        "history": history,
        "evaluation": mnist_model.evaluate(model, data),
        "pen": {
            "writers_learnt_from": list(PEN_WRITERS),
            "unseen_writers_accuracy": float(np.mean(predicted == y_pen)),
            "unseen_digits": int(len(y_pen)),
            "unseen_writers": len({digit.writer for digit in unseen}),
            "cross_validated": {
                "writers": len({digit.writer for digit in digits}),
                "folds": folds,
                "pen_accuracy": float(np.mean([fold["pen_accuracy"] for fold in folds])),
            },
        },
        "keras_version": __import__("keras").__version__,
        "exported": time.strftime("%Y-%m-%d"),
        "sha256": sha256(network),
        "bytes": network.stat().st_size,
    }
    card_path.write_text(json.dumps(metadata, indent=1) + "\n")
    return write_serving_files(directory)
