"""Nielsen's dense network (784 → 30 → 10, the book's own), trained once and kept in `models/` beside
the shipped network, so that the Convolution lesson can set the two accuracies side by side in one
table: both are measured by the same evaluation (core.digits.model.evaluate: MNIST's 10,000 test
digits, each read with its shifted copies as the page reads a digit), on networks that never saw them.

    models/nielsen.json           its card (configuration, training data, evaluation, sha256 of the files)
    models/nielsen.onnx           its serving files: a test reads the test digits again through
    models/nielsen.weights.npz    them and checks the card's figure (tests/test_compared.py)

`python -m core.digits.pretrain --compared` trains it again (about 30 s) and writes the three files.
"""

import json
import shutil
import tempfile
from pathlib import Path

from core.digits import config as mnist_config
from core.digits import shipped
from core.digits.network import serving_files_problem, serving_record
from core.digits.saved import ModelStore

PRESET = "nielsen"
NAME = "nielsen"


def paths(directory=None):
    """Its card, ONNX file and weights file in `directory`, by default models/ (even where
    $NN_EXPLORER_SHIPPED serves another default network: a page sets the two figures side by side
    only if they were measured on the same test digits)."""
    folder = Path(directory or shipped.DIRECTORY)
    return folder / f"{NAME}.json", folder / f"{NAME}.onnx", folder / f"{NAME}.weights.npz"


def card(directory=None):
    """Its card, or None if the card is missing, damaged, of other settings than today's preset, or
    does not match its serving files."""
    card_path, onnx_path, weights_path = paths(directory)
    metadata = shipped.read_card(card_path)
    if metadata is None or shipped.config_of(metadata) != mnist_config.PRESETS[PRESET]:
        return None
    problem = serving_files_problem(metadata.get("serving", {}), onnx_path, weights_path)
    return metadata if problem is None else None


def load(directory=None):
    """(network, card) as the server would serve it (ONNX Runtime), or None."""
    from core.digits.network import Network

    metadata = card(directory)
    return None if metadata is None else (Network.load(*paths(directory)[1:]), metadata)


def export(data, directory=None, report=None):
    """Train Nielsen's network on `data` as the handwriting page would, evaluate it, and write its
    card and serving files into `directory`. Return the card."""
    from core.digits.training import train_and_save

    card_path, onnx_path, weights_path = paths(directory)
    with tempfile.TemporaryDirectory(prefix="nielsen-") as scratch:
        store = ModelStore(scratch)
        config = mnist_config.PRESETS[PRESET]
        key = config.key(data.data_id)
        _, metadata = train_and_save(config, data, store, key, report)
        for source, target in zip(store.serving_paths(key), (onnx_path, weights_path)):
            shutil.copyfile(source, target)
    metadata = {name: value for name, value in metadata.items() if name != "files"}  # no .keras file is kept
    n_fit = mnist_config.validation_split(len(data.x_train))[0]
    metadata.update(
        data_source=f"{n_fit:,} MNIST training digits ({data.source})",
        n_train=int(n_fit),
        mnist_data_id=data.data_id,
        serving=serving_record(onnx_path, weights_path),
        bytes=sum(Path(path).stat().st_size for path in (onnx_path, weights_path)),
    )
    card_path.write_text(json.dumps(metadata, indent=1) + "\n")
    return metadata
