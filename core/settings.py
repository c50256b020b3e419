"""Every setting the app reads from its environment, in one place: the only module that reads
`os.environ` for the app's own settings. Each is read when asked (not at import), so a test or a
worker that changes the environment is seen at once. The README's "Deploy" section says what each
limits.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODELS = ROOT / ".model_cache"
DEFAULT_SHIPPED = ROOT / "models"
DEFAULT_PENDIGITS = ROOT.parent / "shared" / "data" / "pendigits" / "pendigits-orig.tra"
DATABASE_FILE = "class-lab.sqlite"


def _text(name, default=""):
    return os.environ.get(name) or default


def model_directory() -> Path:
    """Where trained networks are kept: $NN_EXPLORER_CACHE, else .model_cache in the project."""
    return Path(_text("NN_EXPLORER_CACHE") or DEFAULT_MODELS)


def model_budget_bytes() -> int:
    """How much the model folder may hold before the least used networks go: $NN_EXPLORER_CACHE_MB (500)."""
    return int(float(_text("NN_EXPLORER_CACHE_MB", "500")) * 1024 * 1024)


def database_url() -> str:
    """The class lab's and the job queue's database: $NN_EXPLORER_DB, else a SQLite file in the model folder."""
    return _text("NN_EXPLORER_DB") or f"sqlite:///{model_directory() / DATABASE_FILE}"


def shared_database(url: str | None = None) -> bool:
    """True when the database (`url`, else the configured one) is PostgreSQL, which several servers
    and the workers share: jobs are then queued there, and trained networks stored there."""
    return (url if url is not None else database_url()).startswith("postgresql")


def max_trainings() -> int:
    """Trainings one server runs at once, without a job queue: $NN_EXPLORER_MAX_TRAININGS (1)."""
    return int(_text("NN_EXPLORER_MAX_TRAININGS", "1"))


def mnist_npz() -> str | None:
    """The MNIST file to read first: $MNIST_NPZ, or None."""
    return _text("MNIST_NPZ") or None


def keras_home() -> Path:
    """Where Keras keeps its downloads: $KERAS_HOME, else ~/.keras."""
    return Path(_text("KERAS_HOME") or Path.home() / ".keras").expanduser()


def shipped_directory() -> Path:
    """The network the app ships: $NN_EXPLORER_SHIPPED, else models/."""
    return Path(_text("NN_EXPLORER_SHIPPED") or DEFAULT_SHIPPED)


def pendigits_file() -> Path:
    """The pen-written digits: $PENDIGITS, else the shared copy beside the project."""
    return Path(_text("PENDIGITS") or DEFAULT_PENDIGITS)
