"""Every concept page renders without an exception, and moving a control changes what it shows."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT, metric
from ui.lessons import LESSONS


def chart_specs(app):
    return [chart.proto.spec for chart in app.get("vega_lite_chart")]


def test_home_links_every_lesson(open_page):
    app = open_page("lessons/home.py")
    cards = {element.proto.label: element.proto.page for element in app.get("page_link")}
    assert cards == {f"{number}. {lesson.title}": lesson.url_path for number, lesson in enumerate(LESSONS, start=1)}


def test_loss_page_shows_the_worked_example_and_follows_m(open_page):
    app = open_page("lessons/loss.py")
    assert metric(app, "Prediction ŷ") == "8"
    assert metric(app, "Error y − ŷ") == "2"
    assert metric(app, "Squared error (y − ŷ)²") == "4"
    before_charts = chart_specs(app)
    app.slider(key="m").set_value(3.0).run()
    assert metric(app, "Prediction ŷ") == "11"
    assert metric(app, "Error y − ŷ") == "-1"
    assert chart_specs(app) != before_charts


def test_loss_page_new_data_changes_the_points(open_page):
    app = open_page("lessons/loss.py")
    before = metric(app, "Best line")
    app.button[0].click().run()
    assert app.number_input(key="seed").value == 1
    assert metric(app, "Best line") != before


def test_perceptron_page_france_decisions(open_page):
    app = open_page("lessons/perceptron.py")
    assert metric(app, "Decision") == "stay (0)"
    app.toggle(key="x1").set_value(True).run()
    assert metric(app, "Decision") == "stay (0)"  # 4 − 4 = 0 is not > 0
    app.slider(key="threshold").set_value(3.5).run()
    assert metric(app, "Decision") == "go (1)"
    app.slider(key="threshold").set_value(4.0).run()
    app.toggle(key="x2").set_value(True).run()
    assert metric(app, "Decision") == "go (1)"


def test_perceptron_page_xor_never_converges(open_page):
    app = open_page("lessons/perceptron.py")
    assert any("AND is learned" in s.value for s in app.success)
    app.selectbox(key="gate").set_value("XOR").run()
    assert not app.success
    assert any("XOR never converges" in e.value for e in app.error)


def test_sigmoid_page_mentions_e_and_follows_the_bias(open_page):
    app = open_page("lessons/sigmoid.py")
    assert any("2.71828" in c.value for c in app.caption)
    assert metric(app, "Perceptron output") == "1"
    before = metric(app, "σ(z)")
    app.slider(key="b").set_value(1.0).run()
    assert metric(app, "σ(z)") != before


def test_descent_page_reports_divergence_without_nan(open_page):
    app = open_page("lessons/descent.py")
    assert not app.error
    app.slider(key="rate").set_value(1.1).run()
    assert any("It diverges" in e.value for e in app.error)
    assert not any("NaN" in spec or "Infinity" in spec for spec in chart_specs(app))
    app.slider(key="line_rate").set_value(0.2).run()
    assert any(m.value == "diverged" for m in app.metric)


def test_descent_page_batch_size_changes_the_sgd_path(open_page):
    app = open_page("lessons/descent.py")
    before = chart_specs(app)
    app.slider(key="batch").set_value(1).run()
    assert chart_specs(app) != before


@pytest.mark.slow
def test_concept_pages_do_not_import_tensorflow():
    """Every page without a network to read digits, each opened by a visitor of its own, in turn in
    one fresh process (after each page: has TensorFlow or Keras been imported yet?), as a server
    that never trains would."""
    pages = ["lessons/home.py"] + [lesson.path for lesson in LESSONS if not lesson.needs_tensorflow]
    script = f"""
import sys
from streamlit.testing.v1 import AppTest
for page in {pages!r}:
    app = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=120).run()
    app.switch_page(page).run()
    assert not app.exception, (page, [e.value for e in app.exception])
    print(page, "tensorflow" in sys.modules, "keras" in sys.modules)
"""
    # generous limits: CI also runs this at the lowest priority beside the full suite (.ci/newest-python)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = [line.split() for line in result.stdout.splitlines() if line.startswith(("lessons/", "pages/"))]
    assert [page for page, *_ in seen] == pages
    assert all(imported == ["False", "False"] for _page, *imported in seen), seen


def boundary_data(app):
    """Return the names of the data sets the charts carry: Streamlit names each by its content."""
    return [dataset.name for chart in app.get("vega_lite_chart") for dataset in chart.proto.datasets]


def test_hidden_layers_page_trains_and_follows_its_settings(open_page):
    app = open_page("lessons/hidden_layers.py")
    assert metric(app, "Epoch") == "0"
    train = next(button for button in app.button if button.label == "Train 10 epochs")
    train.click().run()
    assert metric(app, "Epoch") == "10"
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert metric(app, "Epoch") == "20"
    xor_points = boundary_data(app)
    assert xor_points
    app.selectbox(key="dataset").set_value("Two moons").run()
    assert metric(app, "Epoch") == "0"  # new data: a fresh network
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert boundary_data(app) != xor_points
    before = chart_specs(app)
    app.slider(key="layers").set_value(2).run()
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert len(app.image) and chart_specs(app) != before


def test_hidden_layers_page_reports_divergence(open_page):
    app = open_page("lessons/hidden_layers.py")
    app.selectbox(key="dataset").set_value("Two spirals")
    app.slider(key="layers").set_value(2)
    app.selectbox(key="activation").set_value("ReLU")
    app.selectbox(key="rate").set_value(10.0).run()
    for _ in range(5):
        next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert any("Diverged" in error.value for error in app.error) or any(
        "Unstable" in warning.value for warning in app.warning
    )
    assert not app.exception


def test_every_url_path_is_its_file_name():
    from pathlib import Path

    from ui.lessons import HOME

    for lesson in (HOME, *LESSONS):
        assert lesson.url_path == Path(lesson.path).stem


@pytest.mark.parametrize("index", [i for i, lesson in enumerate(LESSONS) if not lesson.needs_tensorflow])
def test_every_lesson_links_to_its_neighbours_in_story_order(open_page, index):
    app = open_page(LESSONS[index].path)
    links = {link.proto.label: link.proto.page for link in app.get("page_link")}
    expected = {}
    if index > 0:
        expected[f"Previous: {LESSONS[index - 1].title}"] = LESSONS[index - 1].url_path
    if index + 1 < len(LESSONS):
        expected[f"Next: {LESSONS[index + 1].title}"] = LESSONS[index + 1].url_path
    assert links == expected


@pytest.mark.parametrize("path", [lesson.path for lesson in LESSONS if not lesson.needs_tensorflow])
def test_every_controls_help_is_also_on_the_page_in_words(open_page, path):
    app = open_page(path)
    [box] = [expander for expander in app.expander if expander.label == "What the controls do"]
    words = " ".join(markdown.value for markdown in box.markdown)
    helps = [
        widget.help
        for kind in ("slider", "selectbox", "toggle", "number_input", "multiselect", "select_slider")
        for widget in app.main.get(kind)
        if getattr(widget, "help", None)
    ]
    assert helps and all(text in words for text in helps)


def test_a_trained_playground_network_can_be_downloaded(open_page):
    app = open_page("lessons/hidden_layers.py")

    def networks():
        return [
            button for button in app.get("download_button") if button.proto.label.startswith("Download this network")
        ]

    assert not networks()  # nothing trained yet
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    [download] = networks()
    assert download.proto.label == "Download this network (JSON)"
