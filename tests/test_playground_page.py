"""AppTest of the hidden-layers page's own data, several classes, regression and same-start runs."""

import numpy as np
import pytest

from core.lessons import playground_data, playground_points
from tests.conftest import metric

PAGE = "lessons/hidden_layers.py"


def press(app, label):
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]


def uploader(app):
    return app.get("file_uploader")[0]


def test_an_uploaded_csv_becomes_the_data_and_trains_with_every_class(open_page):
    app = open_page(PAGE)
    X, y = playground_data.make_dataset("Three blobs", 90, 0.05, 4)
    uploader(app).set_value(("mine.csv", playground_points.points_csv(X, y).encode(), "text/csv")).run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == playground_data.ONLY_YOURS
    assert any(expander.label == "Your own points (90)" for expander in app.expander)
    press(app, "Train 10 epochs")
    assert metric(app, "Epoch") == "10"
    assert any("Each class on the test points" in text.value for text in app.markdown)
    [table] = [frame.value for frame in app.dataframe if "class" in frame.value.columns]
    assert list(table["class"]) == [0, 1, 2] and table["test points"].sum() == 27  # 30% of 90


def test_a_bad_csv_is_refused_with_its_line_and_nothing_is_lost(open_page):
    app = open_page(PAGE)
    app.session_state["playground_points"] = [[0.1, 0.1, 0], [0.2, 0.2, 1]]
    app.run()
    uploader(app).set_value(("bad.csv", b"x1,x2,label\n0.1,0.2,1\n0.3,oops,0\n", "text/csv")).run()
    assert not app.exception
    assert any("`bad.csv`: Line 3: x2 is not a number" in error.value for error in app.error)
    assert app.session_state["playground_points"] == [[0.1, 0.1, 0], [0.2, 0.2, 1]]
    assert app.selectbox(key="dataset").value == "XOR quadrants"


def test_only_your_points_asks_for_points_until_there_are_enough_then_clears(open_page):
    app = open_page(PAGE)
    app.selectbox(key="dataset").set_value(playground_data.ONLY_YOURS).run()
    assert any("Add at least 2 points of each class" in info.value for info in app.info)
    assert next(button for button in app.button if button.label == "Train 10 epochs").disabled
    rng = np.random.default_rng(0)
    app.session_state["playground_points"] = [[*rng.uniform(-1, 1, 2), label % 2] for label in range(20)]
    app.run()
    press(app, "Train 10 epochs")
    assert metric(app, "Epoch") == "10"
    press(app, "Clear your points")
    assert app.session_state["playground_points"] == []
    assert any("Add at least 2 points of each class" in info.value for info in app.info)


def test_regression_reports_the_mean_squared_error(open_page):
    app = open_page(PAGE)
    app.selectbox(key="problem").set_value("Regression").run()
    assert not app.get("file_uploader")  # own points are for classes
    press(app, "Train 10 epochs")
    assert float(metric(app, "Test loss (MSE)")) >= 0
    assert not [m for m in app.metric if m.label == "Test accuracy"]


@pytest.mark.slow
def test_running_again_from_the_same_start_repeats_the_run_and_keeps_the_first_to_compare(open_page):
    app = open_page(PAGE)
    press(app, "Train 10 epochs")
    first = list(app.session_state["playground"][1].history_["train_loss"])
    press(app, "Run again from the same start")
    assert app.session_state["playground_previous"][1]["train_loss"] == first
    press(app, "Train 10 epochs")
    assert app.session_state["playground"][1].history_["train_loss"] == first  # the very same run
    press(app, "New start")
    press(app, "Train 10 epochs")
    assert app.session_state["playground"][1].history_["train_loss"] != first


@pytest.mark.slow
def test_a_larger_learning_rate_is_compared_with_the_run_before_it(open_page):
    app = open_page(PAGE)
    press(app, "Train 10 epochs")
    first = list(app.session_state["playground"][1].history_["train_loss"])
    press(app, "Run again from the same start")
    app.selectbox(key="rate").set_value(0.3).run()  # only how each step goes: the same start, the same data
    press(app, "Train 10 epochs")
    faded = [caption.value for caption in app.caption if caption.value.startswith("Faded")]
    assert faded and "learning rate 0.03" in faded[0]
    assert app.session_state["playground_previous"][1]["train_loss"] == first
    assert app.session_state["playground"][1].history_["train_loss"] != first
    press(app, "New start")  # other starting weights: nothing to compare with
    press(app, "Train 10 epochs")
    assert not [caption for caption in app.caption if caption.value.startswith("Faded")]


def test_a_file_name_and_header_written_as_markdown_are_shown_inert_and_short(open_page):
    app = open_page(PAGE)
    name = "[Open the answers](http://example.com) **now**.csv"
    header = ",".join(["[click me](http://example.com)", "**bold**", "x" * 900]).encode()
    uploader(app).set_value((name, header + b"\n1,2,0\n", "text/csv")).run()
    assert not app.exception
    [shown] = [error.value for error in app.error if "first line must name" in error.value]
    assert shown.startswith("`[Open the answers](http://example.com) *…`:")  # in a code span, cut short
    assert "\\[click me\\]\\(http\\://" in shown and "\\*\\*bold\\*\\*" in shown  # escaped, so not a link or bold
    assert len(shown) < 400  # not the 900-character cell


def test_clicked_points_stop_at_the_uploads_limit_with_a_message(open_page):
    from core.i18n import english
    from core.lessons import playground_points

    points = []
    added = [playground_points.add(points, 0.1, 0.2, 1) for _ in range(playground_points.MAX_ROWS + 50)]
    assert sum(added) == len(points) == playground_points.MAX_ROWS and not any(added[playground_points.MAX_ROWS :])
    app = open_page(PAGE)
    app.session_state["playground_points"] = points  # as 2,000 forged clicks would leave them
    app.run()
    assert any(english(playground_points.FULL) == warning.value for warning in app.warning)
    assert "2,000 points of your own" in english(playground_points.FULL)
    assert not app.exception
