"""A teacher's link: `show=` lists the controls students may change; every other control is
hidden and held at the link's value or its default, on any page, with classroom mode too."""

from urllib.parse import parse_qs, urlsplit

from tests.conftest import metric
from tests.test_sharing import link_notices, share_link

WIDGETS = ("slider", "number_input", "toggle", "selectbox", "multiselect", "text_input", "select_slider")


def main_keys(app):
    """The settings' widgets on the page; a "view_" widget only chooses what is shown (a folded step of
    the code, the mistakes to look at), never a setting a teacher's link holds."""
    return {widget.key for kind in WIDGETS for widget in app.main.get(kind) if not str(widget.key).startswith("view_")}


def held_notice(app):
    return [info.value for info in app.info if "teacher's link fixes" in info.value]


def test_a_link_that_shows_only_the_slope_holds_the_intercept_at_its_value(open_page):
    app = open_page("lessons/loss.py", params={"show": "m", "b": "1"})
    assert [slider.key for slider in app.main.slider] == ["m"]
    assert main_keys(app) == {"m"}
    assert metric(app, "Prediction ŷ") == "7"  # 2·3 + 1: the held b = 1 is used
    assert held_notice(app) and not link_notices(app)
    app.slider(key="m").set_value(3.0).run()
    assert metric(app, "Prediction ŷ") == "10"  # the student's m, the teacher's b


def test_the_playground_shows_the_activation_but_not_the_layer_count(open_page):
    app = open_page("lessons/hidden_layers.py", params={"show": "activation", "dataset": "Two spirals"})
    # Play, like Train, is an action, not a setting; the link holds the data set, so no points are added
    assert main_keys(app) == {"activation", "play"}
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert metric(app, "Epoch") == "10" and not app.exception


def test_an_unknown_key_in_show_gets_a_notice_and_the_rest_still_works(open_page):
    app = open_page("lessons/loss.py", params={"show": "m,slope,www.example.com"})
    [notice] = link_notices(app)
    assert "**show**" in notice and "`slope, www.example.com`" in notice
    assert main_keys(app) == {"m"}


def test_classroom_mode_and_show_work_together(open_page):
    app = open_page("lessons/perceptron.py", params={"show": "x1,x2", "classroom": "true"})
    assert main_keys(app) == {"x1", "x2"}
    assert not app.sidebar.toggle  # the teacher's link holds classroom mode on
    assert [expander for expander in app.expander if expander.label == "More"]
    assert any(radio.label == "Your guess" for radio in app.radio)  # its questions are asked


def test_the_share_box_writes_show_and_the_held_values(open_page):
    app = open_page("lessons/loss.py", params={"b": "1"})
    app.sidebar.multiselect(key="share_show").set_value(["m", "x"]).run()
    query = parse_qs(urlsplit(share_link(app)).query)
    assert query["show"] == ["m,x"] and query["b"] == ["1"]
    held = open_page("lessons/loss.py", params={key: values[0] for key, values in query.items()})
    assert main_keys(held) == {"m", "x"} and metric(held, "Prediction ŷ") == "7"


def test_the_training_form_obeys_show(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page("lessons/mnist.py", timeout=90, params={"show": "epochs_convolutional,input"})
    assert main_keys(app) == {"epochs_convolutional", "input"}
    assert not app.exception
