"""The app under bad conditions, in a real browser: no network, a damaged model file, a
read-only model folder. Each runs its own server on a small real-MNIST file so training is quick."""
import shutil

from core.digits import model as mnist_model
from core.digits.store import ModelStore
from harness.browser import CANVAS, STROKES, draw, running_app, settle

PREDICTION = "[data-testid=stMetric]:has-text('Prediction')"


def wait_for_canvas(page, url):
    page.goto(f"{url}/mnist")
    page.wait_for_selector(CANVAS, timeout=300_000)
    settle(page)


def test_offline_without_a_file_falls_back_to_the_bundled_sample(page_factory, tmp_path):
    # A dead proxy makes every download fail at once, as on a machine without a network.
    with running_app(MNIST_NPZ=None, KERAS_HOME=tmp_path / "keras", HTTPS_PROXY="http://127.0.0.1:9",
                     https_proxy="http://127.0.0.1:9", NN_EXPLORER_CACHE=tmp_path / "models") as (url, _):
        page = page_factory()
        page.goto(f"{url}/mnist")
        page.wait_for_selector("text=offline sample of 5,000 real MNIST digits", timeout=120_000)
        assert page.get_by_text("4,000 training digits and 1,000 test digits").count() == 1
        assert page.get_by_text("Keras download failed").count() == 1  # the warning says why
        assert page.locator("[data-testid=stException]").count() == 0


def test_a_model_file_truncated_while_the_server_was_down_is_retrained(page_factory, trained_default, tiny_mnist,
                                                                       tmp_path):
    directory = tmp_path / "models"
    shutil.copytree(trained_default.directory, directory)
    data = trained_default.data
    model_path, _ = ModelStore(directory).paths(mnist_model.DEFAULT.key(data.data_id))
    model_path.write_bytes(model_path.read_bytes()[:2000])
    with running_app(MNIST_NPZ=tiny_mnist, NN_EXPLORER_CACHE=directory) as (url, process):
        page = page_factory()
        page.goto(f"{url}/mnist")
        page.wait_for_selector("text=could not be read", timeout=120_000)
        wait_for_canvas(page, url)
        draw(page, STROKES["1"])
        page.wait_for_selector(PREDICTION, timeout=30_000)
        assert process.poll() is None
    assert ModelStore(directory).load(mnist_model.DEFAULT.key(data.data_id)) is not None


def test_a_read_only_model_folder_keeps_the_model_in_memory(page_factory, tmp_path, tiny_mnist):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a folder cannot be made inside a file, whoever the user is
    with running_app(MNIST_NPZ=tiny_mnist, NN_EXPLORER_CACHE=blocker / "models") as (url, _):
        page = page_factory()
        wait_for_canvas(page, url)
        assert page.get_by_text("kept in memory only").count() == 1
        draw(page, STROKES["1"])
        page.wait_for_selector(PREDICTION, timeout=30_000)
