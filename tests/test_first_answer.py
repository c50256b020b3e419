"""Answer first, explain after: the handwriting page shows the network's answer before it computes
any view that explains it (the saliency, the nearest training digits and the PCA behind them), and
loads no library that only those views, the charts or the downloads need. Every view still
appears, later. bench/first_answer.py measures the time; these check the order."""

import shutil
import subprocess
import sys
import threading

import pytest
import streamlit as st

from core.digits import explain
from tests.conftest import ROOT, metric
from tests.test_mnist_page import PAGE, open_tab
from ui.digits.controls import LOOK_INSIDE_TAB

# What the handwriting page imports before its first answer, and what none of it may load then:
# each costs 0.3–1.5 s or 10–160 MB, and the first answer needs none of them.
PAGE_MODULES = (
    "ui.page",
    "ui.digits.resources",
    "ui.digits.train",
    "ui.digits.evaluate",
    "ui.digits.predict",
    "ui.digits.download",
)
NOT_BEFORE_THE_ANSWER = (
    "sklearn",
    "scipy.stats",
    "scipy.ndimage",
    "scipy.linalg",
    "pandas",
    "altair",
    "nbformat",
    "mlxtend",
    "tensorflow",
    "keras",
)


def test_the_pages_imports_load_none_of_what_only_the_explanations_need():
    # In a fresh process, and as an app (the drawing pad registers itself with a running Streamlit)
    script = (
        f"import sys, types\nimport streamlit as st\nimport {', '.join(PAGE_MODULES)}\n"
        f"st.write(repr([name for name in {NOT_BEFORE_THE_ANSWER!r} "
        "if type(sys.modules.get(name)) is types.ModuleType]))"
    )
    probe = (
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_string({script!r}).run(timeout=60)\n"
        "print(app.exception or app.markdown[0].value)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip().endswith("[]"), loaded.stdout + loaded.stderr


def test_the_answer_is_shown_before_the_saliency_is_computed(environment, trained_default, open_page, monkeypatch):
    environment(trained_default.directory)
    computed = []

    def stop_here(*_):  # ends the run where the saliency would be computed: what is shown by then stays
        computed.append("saliency")
        st.stop()

    monkeypatch.setattr(explain, "saliency", stop_here)
    app = open_page(PAGE, timeout=90, params={"input": "Random test digit"})
    assert computed == [] and metric(app, "Prediction").isdigit()  # its tab is not open: not computed at all
    app.session_state[LOOK_INSIDE_TAB] = "Which pixels mattered"
    app.run()
    assert computed == ["saliency"]
    assert metric(app, "Prediction").isdigit() and metric(app, "Confidence").endswith("%")


@pytest.mark.slow
def test_the_answer_does_not_wait_for_the_neighbour_index(
    environment, trained_default, open_page, monkeypatch, tmp_path
):
    from ui.digits import resources

    models = shutil.copytree(trained_default.directory, tmp_path / "models")
    for saved in models.glob(f"*.{explain.NEIGHBOURS}.npz"):
        saved.unlink()  # so the index has to be built, by the builder thread
    environment(models)
    release, real_build = threading.Event(), explain.build_and_save_index

    def held_build(*arguments):
        assert release.wait(120), "the test never let the index be built"
        return real_build(*arguments)

    monkeypatch.setattr(explain, "build_and_save_index", held_build)
    app = open_page(PAGE, timeout=90, params={"input": "Random test digit"})
    assert metric(app, "Prediction").isdigit()  # while the index is still being built
    assert any("Placing every training digit" in info.value for info in open_tab(app, "Nearest training digits").info)
    assert len(open_tab(app, "Which pixels mattered").get("image")) == 3  # the saliency needs no index
    release.set()
    resources.built()
    nearest = open_tab(app, "Nearest training digits").get("image")
    assert len(nearest) == 6 and all("distance" in image.proto.imgs[0].caption for image in nearest)
    assert list(models.glob(f"*.{explain.NEIGHBOURS}.npz"))  # saved for the next server start
