"""Links that reopen a view: every control takes its value from the URL, values a page cannot
use fall back to the defaults with a notice, and the page's own share link round-trips."""

from urllib.parse import parse_qs, urlsplit

import pytest

from core import jobs
from core.digits import model as mnist_model
from core.jobs.status import Status
from ui.state import Controls, Multi, Number, Select, Slider, Toggle

WIDGET_KINDS = ("slider", "number_input", "toggle", "selectbox", "multiselect", "text_input", "select_slider")

# Per page: URL parameters (as a link carries them) and the widget values they must give.
LINKS = {
    "lessons/loss.py": {
        "m": ("3.5", 3.5),
        "b": ("-1", -1.0),
        "x": ("4", 4.0),
        "y": ("12.5", 12.5),
        "noise": ("0.5", 0.5),
        "seed": ("7", 7),
    },
    "lessons/perceptron.py": {
        "x1": ("true", True),
        "x2": ("true", True),
        "w1": ("2.5", 2.5),
        "threshold": ("3.5", 3.5),
        "gate": ("XOR", "XOR"),
    },
    "lessons/sigmoid.py": {
        "k": ("5", 5.0),
        "x1": ("0.25", 0.25),
        "b": ("1.5", 1.5),
        "nudged": ("w2", "w2"),
        "delta": ("-0.3", -0.3),
    },
    "lessons/descent.py": {
        "surface": ("Long valley", "Long valley"),
        "rate": ("0.5", 0.5),
        "steps": ("80", 80),
        "line_rate": ("0.05", 0.05),
        "batch": ("7", 7),
    },
    "lessons/hidden_layers.py": {
        "dataset": ("Two spirals", "Two spirals"),
        "layers": ("2", 2),
        "neurons_1": ("8", 8),
        "activation": ("ReLU", "ReLU"),
        "rate": ("0.1", 0.1),
        "batch": ("30", 30),
        "features": (["x1", "x2", "x1²"], ["x1", "x2", "x1²"]),
    },
    "lessons/backprop.py": {
        "example": ("dear ticket, partner comes: stay", "dear ticket, partner comes: stay"),
        "rate": ("10.0", 10.0),
        "updates": ("1000", 1000),
        "w_x1_h1": ("1.5", 1.5),
        "b_out": ("-2", -2.0),
    },
    "lessons/convolution.py": {
        "kernel": ("your own", "your own"),
        "size": ("5", 5),
        "stride": ("2", 2),
        "padding": ("same", "same"),
        "bias": ("-0.7", -0.7),
        "w24": ("2.5", 2.5),
        "test_digit": ("42", 42),
        "at": ("17", 17),
        "shift": ("3", 3),
    },
}
# Per page: values no control can take, with the value each control must fall back to.
BAD_LINKS = {
    "lessons/loss.py": {"m": ("99", 2.0), "seed": ("minus one", 0), "noise": ("nan", 1.5)},
    "lessons/perceptron.py": {"x1": ("maybe", False), "w1": ("-7", 4.0), "gate": ("XNOR", "AND")},
    "lessons/sigmoid.py": {"k": ("0", 1.0), "nudged": ("w3", "w1")},
    "lessons/descent.py": {"rate": ("inf", 0.1), "surface": ("Flat", "Round bowl"), "steps": ("1000", 30)},
    "lessons/hidden_layers.py": {"layers": ("7", 1), "rate": ("0.02", 0.03), "features": (["x3"], ["x1", "x2"])},
    "lessons/backprop.py": {
        "rate": ("2", 3.0),
        "w_h2_out": ("9", 0.9),
        "example": ("go", "cheap ticket, partner comes: go"),
    },
    "lessons/convolution.py": {
        "size": ("4", 3),
        "padding": ("full", "valid"),
        "bias": ("9", 0.0),
        "at": ("784", 0),
        "digit": ("Upload", "Test digit"),
        "shift": ("0", 1),
    },
}


def widget(app, key):
    for kind in WIDGET_KINDS:
        found = [element for element in app.get(kind) if element.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no widget with key {key!r}")


def link_notices(app):
    return [info.value for info in app.info if "This link had values" in info.value]


def share_link(app):
    links = [code.value for code in app.sidebar.code]
    assert len(links) == 1, links
    return links[0]


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(LINKS))
def test_a_link_sets_every_control(open_page, path):
    expected = LINKS[path]
    app = open_page(path, params={key: raw for key, (raw, _) in expected.items()})
    for key, (_, value) in expected.items():
        assert (
            widget(app, key).value == pytest.approx(value)
            if isinstance(value, float)
            else widget(app, key).value == value
        ), key
    assert not link_notices(app)


@pytest.mark.parametrize("path", sorted(BAD_LINKS))
def test_values_a_page_cannot_use_fall_back_to_defaults_with_a_notice(open_page, path):
    bad = BAD_LINKS[path]
    app = open_page(path, params={key: raw for key, (raw, _) in bad.items()})
    for key, (_, default) in bad.items():
        assert widget(app, key).value == default, key
    [notice] = link_notices(app)
    for key in bad:
        assert f"**{key}**" in notice


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(LINKS))
def test_the_share_link_reopens_the_same_view(open_page, path):
    expected = LINKS[path]
    app = open_page(path)
    assert "?" not in share_link(app)  # all defaults: a clean link
    app = open_page(path, params={key: raw for key, (raw, _) in expected.items()})
    query = parse_qs(urlsplit(share_link(app)).query)
    assert set(query) == set(expected)
    reopened = open_page(path, params={key: values if len(values) > 1 else values[0] for key, values in query.items()})
    for key in expected:
        assert widget(reopened, key).value == widget(app, key).value, key


@pytest.mark.parametrize(
    "value",
    [
        "[click](http://example.com) ![x](y.png)",
        "www.example.com",
        "someone@example.com",
        "`code` **bold**",
        "http://127.0.0.1:8601/leak.png",
    ],
)
def test_a_hostile_value_is_shown_as_inert_text(open_page, value):
    app = open_page("lessons/loss.py", params={"m": value})
    [notice] = link_notices(app)
    shown = notice.split("**m** = ")[1].split(" (must be")[0]
    # inside one code span nothing is formatted and nothing becomes a link
    assert shown.startswith("`") and shown.endswith("`") and shown.count("`") == 2
    assert shown.strip("`").replace("\u02cb", "`") == value


# Per page: link values that once reached a control in spite of the notice, or crashed the page.
UNUSABLE = [
    ("lessons/loss.py", "seed", "inf", 0),
    ("lessons/loss.py", "seed", "1e999", 0),
    ("lessons/loss.py", "seed", "-Infinity", 0),
    ("lessons/loss.py", "seed", "3.7", 0),
    ("lessons/hidden_layers.py", "seed", "-inf", 0),
    ("lessons/hidden_layers.py", "neurons_0", "inf", 4),
    ("lessons/hidden_layers.py", "layers", "2.5", 1),
    ("lessons/loss.py", "m", ["1", "5"], 2.0),
    ("lessons/loss.py", "m", ["3", "3"], 2.0),
    ("lessons/loss.py", "classroom", "1", False),
    ("lessons/loss.py", "classroom", "maybe", False),
    ("lessons/hidden_layers.py", "features", ["bogus", "x1²"], ["x1", "x2"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("path, key, raw, default", UNUSABLE)
def test_an_unusable_value_never_reaches_its_control_and_the_notice_says_so(open_page, path, key, raw, default):
    app = open_page(path, params={key: raw})
    assert widget(app, key).value == default
    [notice] = link_notices(app)
    assert f"**{key}**" in notice


@pytest.mark.slow
def test_settings_a_link_cannot_train_are_dropped_not_half_used(environment, trained_default, open_page):
    environment(trained_default.directory)
    for hidden in ("1,,2", "![x](http://127.0.0.1:8601/leak.png)", "9" * 5000):
        app = open_page("lessons/mnist.py", timeout=90, params={"hidden_convolutional": hidden})
        [notice] = link_notices(app)
        assert "**hidden_convolutional**" in notice and "](" not in notice.replace("`![x](", "")
        assert any(
            caption.value.startswith("Showing: Convolutional") and str(mnist_model.DEFAULT.hidden) in caption.value
            for caption in app.caption
        )
        assert not app.error


def test_controls_write_only_values_that_differ_from_the_defaults():
    controls = Controls(
        Slider("m", "m", -2.0, 6.0, 2.0, 0.1, ""),
        Number("seed", "seed", 0, 100, 0, 1, ""),
        Toggle("x1", "x1", False, ""),
        Select("p", "p", ("a", "b"), "a", "", {"b": "Bee"}),
        Multi("f", "f", ("x1", "x2", "x3"), ("x1", "x2"), ""),
        Toggle("play", "play", False, "", share=False),
    )
    values = {"m": 2.0, "seed": 3, "x1": True, "p": "b", "f": ["x1", "x2", "x3"], "play": True, "classroom": False}
    link = controls.link("http://host/loss", values)
    assert parse_qs(urlsplit(link).query) == {"seed": ["3"], "x1": ["true"], "p": ["Bee"], "f": ["x1", "x2", "x3"]}
    assert controls.link("http://host/loss", {"m": 2.0, "f": ["x1", "x2"]}) == "http://host/loss"
    problems = controls.link_problems(
        {"m": "6.1", "seed": "3", "x1": "TRUE", "p": "b", "f": ["x1", "x9"], "play": "sometimes"}
    )
    assert [key for key, _, _ in problems] == ["m", "p", "f"]  # "play" is not in links at all


def test_a_link_with_training_settings_shows_that_network(environment, trained_default, open_page, monkeypatch):
    environment(trained_default.directory)
    requested = []

    class Waiting:  # a training job that has not started yet
        def status(self):
            return Status("running", phase="starting")

    def submit(key, body, /, owner=None, **arguments):
        requested.append(arguments["config"])
        return Waiting()

    monkeypatch.setattr(jobs.runner(), "submit", submit)
    params = {
        "preset": mnist_model.PRESET_NAMES["dense"],
        "hidden_dense": "64,32",
        "rate_dense": "0.01",
        "epochs_dense": "3",
    }
    app = open_page("lessons/mnist.py", timeout=90, params=params)
    assert widget(app, "hidden_dense").value == "64,32" and widget(app, "rate_dense").value == 0.01
    [fields] = requested  # not trained yet in this folder: the page asks for exactly this network
    config = mnist_model.Config(**fields)  # a job's arguments are JSON: the settings come as their fields
    assert (config.preset, config.hidden, config.learning_rate, config.epochs) == ("dense", (64, 32), 0.01, 3)
    assert not link_notices(app)


def test_a_link_with_settings_that_cannot_be_trained_says_so_once(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page(
        "lessons/mnist.py", timeout=90, params={"hidden_convolutional": "16,32,64,128", "rate_convolutional": "0.004"}
    )
    assert any("cannot be trained" in error.value for error in app.error)  # four layers: one too many
    [notice] = link_notices(app)
    assert "**rate_convolutional**" in notice
    assert widget(app, "rate_convolutional").value == mnist_model.DEFAULT.learning_rate
    assert any(
        caption.value.startswith("Showing: Convolutional") and str(mnist_model.DEFAULT.hidden) in caption.value
        for caption in app.caption
    )
    app.selectbox(key="input").set_value("Random test digit").run()
    assert not any("cannot be trained" in error.value for error in app.error)


def test_a_link_picks_the_handwriting_network_and_input(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page(
        "lessons/mnist.py",
        timeout=90,
        params={"preset": mnist_model.PRESET_NAMES["convolutional"], "input": "Random test digit"},
    )
    assert widget(app, "input").value == "Random test digit"
    assert any("Test digit number" in caption.value for caption in app.caption)
    assert not link_notices(app)
