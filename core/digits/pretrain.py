"""Train the handwriting networks into the model folder ahead of time, so that a hosted app (or a
Docker image) serves predictions from its first request instead of training while a class waits.

    python -m core.digits.pretrain                     # the default network (convolutional)
    python -m core.digits.pretrain --presets nielsen dense
    python -m core.digits.pretrain --all --force       # every preset, trained again even if saved
    python -m core.digits.pretrain --export            # the network shipped in models/ (core/digits/shipped.py)
    python -m core.digits.pretrain --serving-files     # only the shipped network's ONNX and weights files
    python -m core.digits.pretrain --compared          # Nielsen's network in models/, for the Convolution lesson

The folder is $NN_EXPLORER_CACHE (else .model_cache in the project), as for the app, and the
data come from the same sources in the same order (see core/digits/data.py), so the keys match.
Prints one JSON line per network.
"""

import argparse
import json
import sys
import time

from core.digits import compared, pendigits, shipped
from core.digits import data as mnist_data
from core.digits.config import PRESETS
from core.digits.saved import ModelStore
from core.digits.training import make_serving_files, train_and_save


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m core.digits.pretrain", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--presets",
        nargs="+",
        choices=tuple(PRESETS),
        default=["convolutional"],
        help="which networks to train (default: convolutional, the one the page opens with)",
    )
    parser.add_argument("--all", action="store_true", help="train every preset")
    parser.add_argument("--force", action="store_true", help="train again even when a saved copy loads")
    parser.add_argument(
        "--export",
        action="store_true",
        help=f"train the default network again into {shipped.DIRECTORY.name}/, with pen-written digits "
        "(needs the full MNIST set and the pendigits file)",
    )
    parser.add_argument(
        "--serving-files",
        action="store_true",
        help=f"make the serving files of the network in {shipped.DIRECTORY.name}/ from its .keras file (no training)",
    )
    parser.add_argument(
        "--compared",
        action="store_true",
        help=f"train Nielsen's network into {shipped.DIRECTORY.name}/, measured as the shipped one is "
        "(core/digits/compared.py; needs the full MNIST set)",
    )
    return parser.parse_args(argv)


def progress(preset):
    def report(phase, step=0, steps=0, history=None):
        if phase == "training" and step == 0 and history["val_accuracy"]:  # an epoch has just ended
            print(
                f"{preset}: epoch {len(history['val_accuracy'])}, validation accuracy "
                f"{history['val_accuracy'][-1]:.4f}",
                file=sys.stderr,
                flush=True,
            )

    return report


def missing_full_mnist(data, who):
    """True, after saying so, if `data` is not the full MNIST set that `who` learns from."""
    if len(data.x_train) == 60_000:
        return False
    print(
        f"error: {who} learns from the full MNIST set; only {data.source} was found (set MNIST_NPZ to a copy of "
        "mnist.npz)",
        file=sys.stderr,
    )
    return True


def export(data):
    """Train the shipped network again; print its card's figures, or say what is missing."""
    if missing_full_mnist(data, "the shipped network"):
        return 1
    if not pendigits.path().exists():
        print(f"error: no pendigits file at {pendigits.path()} (set PENDIGITS)", file=sys.stderr)
        return 1
    card = shipped.export(
        data,
        report=lambda row: print(
            f"seed {row['seed']}: final writers {row['pen_accuracy']:.4f}, MNIST test {row['mnist_test_accuracy']:.4f}",
            file=sys.stderr,
            flush=True,
        ),
    )
    print(
        json.dumps(
            {
                "network": str(shipped.paths()[0]),
                "bytes": card["bytes"],
                "sha256": card["sha256"],
                "mnist_test_accuracy": card["evaluation"]["accuracy"],
                "pen_final_writers_accuracy": round(card["pen"]["unseen_writers_accuracy"], 4),
                "pen_final_writers_lowest_over_seeds": round(card["pen"]["lowest_over_seeds"], 4),
                "train_seconds": round(card["history"]["seconds"], 1),
            }
        )
    )
    return 0 if card["bytes"] <= shipped.MAX_BYTES else 1


def export_compared(data):
    """Train Nielsen's network into models/ (core/digits/compared.py); print its figures."""
    if missing_full_mnist(data, "Nielsen's network, measured beside the shipped one,"):
        return 1
    card = compared.export(data, report=progress(compared.PRESET))
    print(
        json.dumps(
            {
                "network": str(compared.paths()[0]),
                "bytes": card["bytes"],
                "mnist_test_accuracy": card["evaluation"]["accuracy"],
                "train_seconds": round(card["history"]["seconds"], 1),
            }
        )
    )
    return 0


def _pretrain(preset, data, store, force):
    """Train and save one preset's network, unless a readable copy is saved (or, when `force`, anyway);
    print a line of JSON saying which."""
    config = PRESETS[preset]
    key = config.key(data.data_id)
    if not force and store.load(key) is not None:  # load() discards an unreadable copy
        print(json.dumps({"preset": preset, "key": key, "status": "already saved"}))
        return
    # saved without its serving files (by an older version, say): make them
    if not force and make_serving_files(lambda *_, **__: None, store, key):
        print(json.dumps({"preset": preset, "key": key, "status": "serving files made"}))
        return
    started = time.perf_counter()
    _, metadata = train_and_save(config, data, store, key, progress(preset))
    print(
        json.dumps(
            {
                "preset": preset,
                "key": key,
                "status": "trained",
                "data": data.source,
                "test_accuracy": round(metadata["evaluation"]["accuracy"], 4),
                "seconds": round(time.perf_counter() - started, 1),
                "folder": str(store.directory),
            }
        ),
        flush=True,
    )


def main(argv=None):
    arguments = parse(argv)
    if arguments.serving_files:
        card = shipped.write_serving_files()
        print(json.dumps({"serving": card["serving"], "bytes": card["bytes"]}))
        return 0 if card["bytes"] <= shipped.MAX_BYTES else 1
    presets = tuple(PRESETS) if arguments.all else arguments.presets
    data = mnist_data.load()
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if arguments.export:
        return export(data)
    if arguments.compared:
        return export_compared(data)
    store = ModelStore()
    if not store.writable():
        print(f"error: the model folder {store.directory} cannot be written", file=sys.stderr)
        return 1
    for preset in presets:
        _pretrain(preset, data, store, arguments.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
