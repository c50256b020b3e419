"""Trained models on disk, so nobody waits for the same training twice.

Each model is four files named by its configuration key: `<key>.keras` (the network, which
trainers read), `<key>.onnx` and `<key>.weights.npz` (what the web server serves it from, without
TensorFlow: core/digits/network.py) and `<key>.json` (its configuration, training history, test
evaluation and the other files' sha256). Each is written to a temporary file and renamed into
place, so a reader never sees half a file; the JSON is written last, so a model without it is
unfinished. A network whose `.keras` or JSON cannot be read is deleted, and the caller trains it
again; one whose serving files are missing or damaged keeps its `.keras`, from which a trainer
makes them again. Arrays computed from a model (such as its training digits' embeddings) are kept
beside it as `<key>.<name>.npz` and deleted with it.

Reading (`has`, `load`, `load_arrays`) needs no TensorFlow; writing a network (`save`,
`add_serving_files`) and `load_keras` happen in trainer processes only.
"""

import contextlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path

from core import settings
from core.digits.card import valid_metadata
from core.digits.network import serving_files_problem, serving_record, sha256

STALE_SECONDS = 3600  # a temporary or orphaned file this old was left by a trainer that was killed
# Networks taught a class-lab room's handwriting (core/lab/tuning.py) are named so. The budget never
# deletes them: each belongs to a room, and goes when the room does (core/lab/store.py, `expire`).
ROOM_NETWORK_PREFIX = "room-"
SERVING_ARRAYS = "weights"  # <key>.weights.npz: the name no other arrays may take
LOG = logging.getLogger(__name__)


def default_directory():
    """Return the cache directory (core/settings.py: $NN_EXPLORER_CACHE, else .model_cache)."""
    return settings.model_directory()


def _modified(path):
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _size(path):
    try:
        return path.stat().st_size
    except OSError:
        return 0


def atomic_write(path, write):
    """Call write(temporary_path), then rename the result to path."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


class ModelStore:
    """A directory of trained models keyed by configuration."""

    def __init__(self, directory=None):
        self.directory = Path(directory) if directory else default_directory()

    def paths(self, key):
        return self.directory / f"{key}.keras", self.directory / f"{key}.json"

    def writable(self):
        """Return True if models can be saved here (creating the directory if needed)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.directory):
                return True
        except OSError:
            return False

    def serving_paths(self, key):
        """The ONNX file and the weights file the server serves a network from."""
        return self.directory / f"{key}.onnx", self.arrays_path(key, SERVING_ARRAYS)

    def has(self, key):
        """True if every file of a network is here (not whether they can be read)."""
        return all(path.exists() for path in (*self.paths(key), *self.serving_paths(key)))

    def metadata(self, key):
        """A network's card, or None if it is absent; an unreadable one is deleted with its network."""
        _, meta_path = self.paths(key)
        if not meta_path.exists():
            return None
        try:
            metadata = json.loads(meta_path.read_text())
            if not valid_metadata(metadata):
                raise ValueError("metadata without the fields the page shows")
        except (OSError, ValueError):
            self.discard(key)
            return None
        return metadata

    def _card_of_keras(self, key):
        """The card of a network whose `.keras` file is here and is the one the card names (a card
        from before the app recorded it names none), or None; a damaged pair is deleted."""
        model_path, _ = self.paths(key)
        metadata = self.metadata(key) if model_path.exists() else None
        if metadata is not None and metadata.get("files", {}).get("keras") not in (None, sha256(model_path)):
            self.discard(key)
            return None
        return metadata

    def load(self, key):
        """Return (network, metadata) for key, the network a core.digits.network.Network, or None if
        absent. An unreadable card, or a `.keras` file that is not the one the card names, is deleted
        with its network; serving files that are missing, damaged or not the ones the card names are
        deleted alone, for a trainer to make again from the `.keras` file (has() is then False)."""
        from core.digits.network import Network, ServingFilesError

        metadata = self._card_of_keras(key)
        if metadata is None:
            return None
        onnx_path, weights_path = self.serving_paths(key)
        try:
            problem = serving_files_problem(metadata.get("files", {}), onnx_path, weights_path)
            if problem:
                raise ServingFilesError(problem)
            network = Network.load(onnx_path, weights_path)
        except (ServingFilesError, OSError) as error:
            LOG.warning("network %s cannot be served (%s); a trainer will make its serving files again", key, error)
            for path in (onnx_path, weights_path):
                path.unlink(missing_ok=True)
            return None
        self._used(key)
        return network, metadata

    def load_keras(self, key):
        """Return (Keras model, metadata) for key, or None if absent; an unreadable pair is deleted.
        For trainer processes: this imports TensorFlow."""
        import keras

        metadata = self._card_of_keras(key)
        if metadata is None:
            return None
        try:
            model = keras.models.load_model(self.paths(key)[0], compile=False)
        except Exception:  # truncated, corrupt, of the wrong shape or from an incompatible version: rebuild it
            self.discard(key)
            return None
        self._used(key)
        return model, metadata

    def _used(self, key):
        with contextlib.suppress(OSError):
            os.utime(self.paths(key)[1])  # used now: the last to go when the folder is over its budget

    def _write_serving_files(self, model):
        """Write a network's serving files to temporary files here; return their paths."""
        from core.digits import serving

        temporary = []
        for suffix in (".onnx", ".npz"):
            handle, path = tempfile.mkstemp(dir=self.directory, prefix=".serving.", suffix=suffix)
            os.close(handle)
            temporary.append(Path(path))
        onnx_path, weights_path = temporary
        try:
            serving.write(model, onnx_path, weights_path)
        except BaseException:
            onnx_path.unlink(missing_ok=True)
            weights_path.unlink(missing_ok=True)
            raise
        return onnx_path, weights_path

    def save(self, key, model, metadata):
        """Write the network, its serving files, then its card with every file's sha256. Return False
        (and write nothing) if read-only. For trainer processes: this imports TensorFlow."""
        if not self.writable():
            return False
        model_path, _ = self.paths(key)
        atomic_write(model_path, model.save)
        self.add_serving_files(key, model, metadata)
        return True

    def add_serving_files(self, key, model, metadata):
        """Make the serving files of a saved network from its Keras model, then write its card with
        every file's sha256 (also for a network saved by an older version of the app, or whose
        serving files were damaged)."""
        written = self._write_serving_files(model)
        files = {**serving_record(*written), "keras": sha256(self.paths(key)[0])}
        for temporary, path in zip(written, self.serving_paths(key)):
            os.replace(temporary, path)
        card = {**metadata, "files": files}
        atomic_write(self.paths(key)[1], lambda path: Path(path).write_text(json.dumps(card)))

    def arrays_path(self, key, name):
        return self.directory / f"{key}.{name}.npz"

    def save_arrays(self, key, name, arrays):
        """Write named numpy arrays beside a model. Return False (and write nothing) if read-only."""
        if not self.writable():
            return False
        import numpy as np

        def write(path):
            with open(path, "wb") as handle:
                np.savez(handle, **arrays)

        atomic_write(self.arrays_path(key, name), write)
        return True

    def load_arrays(self, key, name):
        """Return the named arrays saved beside a model as a dict, or None if absent or unreadable
        (an unreadable file is deleted)."""
        import numpy as np

        path = self.arrays_path(key, name)
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as saved:
                return {array: saved[array] for array in saved.files}
        except Exception:  # truncated or corrupt: compute again
            path.unlink(missing_ok=True)
            return None

    def keys(self):
        """The keys of every saved model, least recently used first."""
        metadata = sorted(self.directory.glob("*.json"), key=_modified)
        return [path.stem for path in metadata if not path.name.startswith(".")]

    def files_of(self, key):
        """A model's files: the network, its metadata and the arrays kept beside it. (Not its lock
        file, which a trainer elsewhere may hold.)"""
        return [*self.paths(key), self.serving_paths(key)[0], *self.directory.glob(f"{key}.*.npz")]

    def enforce_budget(self, budget_bytes=None, keep=()):
        """Delete what killed trainers left behind, then the least recently used models until the
        models fit `budget_bytes`, never those in `keep` (the presets) nor a room's network. Return
        the keys deleted."""
        budget_bytes = settings.model_budget_bytes() if budget_bytes is None else budget_bytes
        now, deleted = time.time(), []
        for path in self.directory.glob("*"):
            stale = now - _modified(path) > STALE_SECONDS
            orphan = (
                path.suffix in (".npz", ".onnx") and not (self.directory / f"{path.name.split('.')[0]}.json").exists()
            )
            if stale and (path.name.startswith(".") or orphan):
                with contextlib.suppress(OSError):
                    path.unlink()
        # only the models count: the folder may also hold the class lab's database, which is not ours to delete
        sizes = {key: sum(_size(path) for path in self.files_of(key)) for key in self.keys()}
        total = sum(sizes.values())
        for key in sizes:
            if total <= budget_bytes:
                break
            if key not in keep and not key.startswith(ROOM_NETWORK_PREFIX):
                self.discard(key)
                total -= sizes[key]
                deleted.append(key)
        return deleted

    def discard(self, key):
        for path in self.files_of(key):
            try:
                path.unlink()
            except OSError:
                pass
