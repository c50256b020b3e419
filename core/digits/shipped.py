"""The default handwriting network, trained ahead of time and kept in the repository: a hosted link
answers its first visitor at once, and no class waits while the same network trains again.

    models/default.keras         the trained network (trainers read it: the class lab's fine-tuning)
    models/default.onnx          what the web server serves it from, without TensorFlow
    models/default.weights.npz   (core/digits/network.py)
    models/default.json          its card: configuration, training data, accuracies, training
                                 time, and every file's sha256

`python -m core.digits.pretrain --export` makes them all again; `--serving-files` makes only the
serving files, from the `.keras` file. `$NN_EXPLORER_SHIPPED` names another folder
to take them from (an empty one: the default network is trained like any other). Besides MNIST's
training digits, the network learns from real pen-written digits of the 20 choosing writers of the
30 pendigits writers (PEN_WRITERS), drawn as the page's canvas holds a drawing, as the chosen recipe
draws them (core/digits/nested.py); the 10 final writers, whom no choice of the recipe looked at,
measure it, and the card keeps that figure for each of three seeds.
"""

import dataclasses
import json
import logging
import time
from pathlib import Path

from core import settings
from core.digits import config as mnist_config
from core.digits import nested, pendigits
from core.digits.card import valid_metadata
from core.digits.network import serving_files_problem, serving_record, sha256

DIRECTORY = settings.DEFAULT_SHIPPED
NAME = "default"
PEN_WRITERS = nested.CHOOSING  # the pendigits writers it learns from; nested.FINAL are never seen
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
    return read_card(paths(directory)[1])


def read_card(path):
    """A network card kept in a file (this one's, or core/digits/compared.py's), or None if it is
    missing or unreadable."""
    try:
        metadata = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) and valid_metadata(metadata) else None


def config_of(metadata):
    """The network settings a card names, or None if they are not ones today's app can build."""
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
    if config_of(metadata) != mnist_config.DEFAULT:
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


def export(data, directory=DIRECTORY, report=None):
    """Train the default network by the chosen recipe (nested.CHOSEN) on `data` (full MNIST) and
    the pen digits of the choosing writers, once for each of nested.SEEDS, and read each on the
    final writers; keep the default seed's network, and write it and its card to `directory`.
    Return the card. Three trainings and the pen digits' drawings: about 8 minutes on 2 cores."""
    from core.digits import model as mnist_model

    recipe = nested.IDEAS[nested.CHOSEN]
    digits = pendigits.read()
    rows, trained = nested.final(data, digits, recipe, nested.SEEDS, report)
    kept = nested.SEEDS.index(recipe.config.seed)
    model, history = trained[kept]
    network, card_path = paths(directory)
    network.parent.mkdir(parents=True, exist_ok=True)
    model.save(network)
    n_mnist = mnist_model.validation_split(len(data.x_train))[0]
    n_pen = len(pendigits.writers_of(digits, PEN_WRITERS))
    metadata = {
        "key": f"{NAME}-{sha256(network)[:16]}",
        "config": dataclasses.asdict(recipe.config),
        "data_source": f"{n_mnist:,} MNIST training digits ({data.source}) and {n_pen:,} digits drawn with a pen "
        f"by {len(PEN_WRITERS)} other people (pendigits), each drawn {recipe.copies} times as on this page's "
        f"canvas: {len(recipe.drawings)} as written, at two sizes, and {recipe.variations} slanted, stretched and "
        "turned at random, at random sizes and pen widths",
        "n_train": int(n_mnist + n_pen * recipe.copies),
        "n_test": int(len(data.x_test)),
        "mnist_data_id": data.data_id,
        "history": history,
        "evaluation": mnist_model.evaluate(model, data),
        "pen": _pen_card(rows, kept),
        "keras_version": __import__("keras").__version__,
        "exported": time.strftime("%Y-%m-%d"),
        "sha256": sha256(network),
        "bytes": network.stat().st_size,
    }
    card_path.write_text(json.dumps(metadata, indent=1) + "\n")
    return write_serving_files(directory)


def _pen_card(rows, kept):
    """What the card says of pen-written digits: the kept network's reading of the final writers,
    and each seed's, as nested.final measured them."""
    return {
        "recipe": nested.CHOSEN,
        "writers_learnt_from": list(PEN_WRITERS),
        "final_writers": list(nested.FINAL),
        "unseen_writers": len(nested.FINAL),
        "unseen_digits": rows[kept]["pen_digits"],
        "unseen_writers_accuracy": rows[kept]["pen_accuracy"],
        "misread": rows[kept]["misread"],  # [true digit, read as, how many], commonest first
        "by_seed": [
            {name: row[name] for name in ("seed", "pen_accuracy", "mnist_test_accuracy", "seconds")} for row in rows
        ],
        "lowest_over_seeds": min(row["pen_accuracy"] for row in rows),
    }
