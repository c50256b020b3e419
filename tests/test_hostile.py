"""A hostile class: values a script forges over Streamlit's websocket, rather than what the page's
own widgets send. Each test fails without the guard it names."""

import base64
import io
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from core.digits import preprocess
from tests.conftest import metric
from tests.test_class_lab_page import PAGE as LAB_PAGE
from tests.test_class_lab_page import (
    lab_env,  # noqa: F401 (a fixture)
    make_room,
)
from tests.test_mnist_page import PAGE as MNIST_PAGE
from tests.test_mnist_page import canvas_state, drawing_of

PAD = 280


def data_url(data, kind="png"):
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def forged_state(url):
    return {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": url}, "backgroundFit": None}


@pytest.fixture(scope="module")
def huge_png():
    """A 9000 × 9000 black PNG: a few hundred kilobytes that decode to 243 MB of RGB pixels."""
    return png(Image.new("RGB", (9000, 9000)))


def test_the_pads_own_drawing_is_read_pixel_for_pixel():
    drawing = Image.new("RGBA", (PAD, PAD), (0, 0, 0, 255))
    drawing.paste((255, 255, 255, 255), (100, 60, 140, 220))
    pixels = preprocess.read_pad(data_url(png(drawing)), PAD)
    assert pixels.shape == (PAD, PAD, 4) and np.array_equal(pixels, np.asarray(drawing))


def test_a_forged_huge_png_is_refused_from_its_header_without_decoding(huge_png):
    assert len(huge_png) < 1_000_000  # small enough to pass any length check
    tracemalloc.start()
    with pytest.raises(ValueError, match="not one of its drawings"):
        preprocess.read_pad(data_url(huge_png), PAD)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * len(huge_png)  # the base64 text and its bytes, never the 243 MB of pixels


@pytest.mark.parametrize(
    "value",
    [
        "not a data url",
        "",
        12,
        None,
        ["data:image/png;base64,"],
        {"a": 1},
        "data:image/png;base64,@@@@",
        "data:image/png;base64,AAAA",  # bad base64; base64 of no PNG
        data_url(png(Image.new("RGBA", (PAD, PAD))), "jpeg")[:-4] + "====",
        "data:image/png;base64," + "A" * (preprocess.pad_limit(PAD) + 8),  # longer than any drawing of the pad
    ],
)
def test_values_the_pad_cannot_send_are_refused_in_words(value):
    with pytest.raises(ValueError, match="not one of its drawings"):
        preprocess.read_pad(value, PAD)


def test_a_picture_of_another_size_or_kind_is_refused():
    with pytest.raises(ValueError, match="not one of its drawings"):
        preprocess.read_pad(data_url(png(Image.new("RGBA", (PAD, PAD + 1)))), PAD)
    jpeg = io.BytesIO()
    Image.new("RGB", (PAD, PAD)).save(jpeg, format="JPEG")
    with pytest.raises(ValueError, match="not one of its drawings"):
        preprocess.read_pad(data_url(jpeg.getvalue()), PAD)
    truncated = png(Image.new("RGBA", (PAD, PAD), (9, 9, 9, 255)))[:120]
    with pytest.raises(ValueError, match="not one of its drawings"):
        preprocess.read_pad(data_url(truncated), PAD)


@pytest.mark.parametrize("forged", ["huge", "text", "bad base64", "not a dict"])
def test_a_forged_pad_value_on_the_handwriting_page_is_refused_with_the_page_up(
    forged, huge_png, environment, trained_default, open_page
):
    environment(trained_default.directory)
    app = open_page(MNIST_PAGE, timeout=90)
    value = {
        "huge": forged_state(data_url(huge_png)),
        "text": forged_state("hello"),
        "bad base64": forged_state("data:image/png;base64,!!"),
        "not a dict": {"drawing": "x"},
    }[forged]
    app.session_state["canvas_0"] = value
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    assert any("not one of its drawings" in error.value for error in app.error)
    assert not [metric for metric in app.metric if metric.label == "Prediction"]
    app.session_state["canvas_0"] = canvas_state(drawing_of(np.zeros((28, 28), np.uint8) + 0))
    app.run()  # and the pad still works after
    assert not app.exception


def test_a_forged_pad_value_in_the_class_lab_is_refused_and_nothing_is_added(lab_env, open_page, huge_png):  # noqa: F811
    app, code, _ = make_room(open_page)
    app.session_state["lab_canvas_0"] = forged_state(data_url(huge_png))
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    assert any("not one of its drawings" in error.value for error in app.error)
    assert not [button for button in app.button if button.label == "Add to our set"]


def _kill_database():
    """The server's database goes away mid-session: every later query fails to connect."""
    import sqlalchemy as sa

    from ui import room as lab_ui

    for lab in lab_ui._LABS.values():
        lab.engine = sa.create_engine(
            "postgresql+psycopg://lab:lab@127.0.0.1:9/lab", connect_args={"connect_timeout": 2}
        )


def test_a_database_that_dies_mid_session_is_said_in_words_on_every_room_page(lab_env, open_page):  # noqa: F811
    teacher, code, key = make_room(open_page)
    _kill_database()
    visitor = open_page(LAB_PAGE, timeout=120)
    teacher.run()
    assert not teacher.exception, [error.value for error in teacher.exception]
    assert any("cannot be reached" in error.value for error in teacher.error)
    next(button for button in visitor.button if button.label.startswith("Make a room")).click().run()
    assert not visitor.exception and "room" not in visitor.query_params
    assert any("cannot be reached" in error.value for error in visitor.error)
    for params in ({"room": code}, {"room": code, "key": key}):
        student = open_page(LAB_PAGE, timeout=120, params=params)
        assert any("cannot be reached" in error.value for error in student.error)
        student.session_state["lab_canvas_0"] = canvas_state(drawing_of(lab_env.x_test[0]))
        student.run()
        assert not student.exception and [metric for metric in student.metric if metric.label == "Prediction"]


@pytest.mark.parametrize(
    "url",
    [
        "mysql://lab:lab@127.0.0.1/lab",
        "nonsense://x",
        "not a url at all",
        "postgresql+psycopg://lab:wrong@127.0.0.1:9/lab",
    ],
)
def test_a_database_url_that_cannot_work_is_logged_for_the_operator_and_said_plainly(url, caplog):
    from core.lab import store

    with (
        caplog.at_level("WARNING", logger="core.lab.store"),
        pytest.raises(store.DatabaseUnavailable, match="cannot be reached"),
    ):
        store.Lab(url)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "class lab database" in logged and "wrong" not in logged  # the cause, never the password


def test_a_mysql_url_on_the_class_lab_page_says_so_without_a_traceback(
    environment, trained_default, monkeypatch, open_page
):
    monkeypatch.setenv("NN_EXPLORER_DB", "mysql://lab:lab@127.0.0.1/lab")
    environment(trained_default.directory)
    app = open_page(LAB_PAGE, timeout=120, params={"room": "K7QM3X"})
    assert any("cannot be reached" in error.value for error in app.error)


def test_a_partly_corrupt_sqlite_file_is_said_in_words(lab_env, open_page, tmp_path):  # noqa: F811
    teacher, code, _ = make_room(open_page)
    from core.lab import store
    from ui import room as lab_ui

    path = tmp_path / "lab.sqlite"
    for lab in lab_ui._LABS.values():
        lab.engine.dispose()
    with open(path, "r+b") as file:  # overwrite the header and the first pages
        file.write(b"\x00garbage" * 4096)
    lab_ui._LABS.clear()
    for app in (teacher, open_page(LAB_PAGE, timeout=120, params={"room": code})):
        app.run()
        assert not app.exception, [error.value for error in app.exception]
        assert any("cannot be reached" in error.value for error in app.error)
    with pytest.raises(store.DatabaseUnavailable):
        store.Lab(f"sqlite:///{path}")


def test_served_pages_show_no_tracebacks():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_browsers_clear_cache_message_leaves_the_servers_caches_alone():
    import streamlit as st
    from streamlit.runtime.app_session import AppSession

    from ui import server

    server.apply()  # what every page's header does
    calls = []

    @st.cache_resource
    def expensive():
        calls.append(1)
        return object()

    first = expensive()

    class Session:
        _session_state = {}

    AppSession._handle_clear_cache_request(Session())  # what Streamlit runs for a browser's clear_cache
    assert expensive() is first and len(calls) == 1


def _teacher_link_shown(app):
    return any("key=" in block.value for block in app.code)


def test_the_teacher_link_is_shown_once_then_only_on_a_click_and_a_leaked_key_can_be_replaced(lab_env, open_page):  # noqa: F811
    from core.lab import store

    teacher, code, key = make_room(open_page)
    assert _teacher_link_shown(teacher)
    teacher.run()
    assert not _teacher_link_shown(teacher)  # gone at the next run, an addition or any click
    next(button for button in teacher.button if button.label == "Show my teacher link").click().run()
    assert _teacher_link_shown(teacher)
    teacher.run()
    assert not _teacher_link_shown(teacher)
    next(button for button in teacher.button if button.label == "Replace the teacher key").click().run()
    assert not teacher.exception, [error.value for error in teacher.exception]
    [link] = [block.value for block in teacher.code if "key=" in block.value]
    fresh = link.split("key=")[1]
    lab = store.Lab()
    assert fresh != key and lab.is_teacher(code, fresh) and not lab.is_teacher(code, key)
    leaked = open_page(LAB_PAGE, timeout=120, params={"room": code, "key": key})
    assert any("not this room's" in error.value for error in leaked.error)
    assert not [button for button in leaked.button if button.label == "Clear the room"]


def test_in_classroom_mode_the_teacher_link_waits_for_a_click_even_the_first_time(lab_env, open_page):  # noqa: F811
    app = open_page(LAB_PAGE, timeout=120, params={"classroom": "true"})
    next(button for button in app.button if button.label.startswith("Make a room")).click().run()
    assert not app.exception and app.query_params["room"]
    assert not _teacher_link_shown(app)
    next(button for button in app.button if button.label == "Show my teacher link").click().run()
    assert _teacher_link_shown(app)


def test_a_session_holding_a_replaced_key_loses_the_teachers_tools(lab_env, open_page):  # noqa: F811
    from core.lab import store

    teacher, code, key = make_room(open_page)
    other = open_page(LAB_PAGE, timeout=120, params={"room": code, "key": key})
    store.Lab().replace_key(code, key)
    other.run()
    assert any("was replaced" in warning.value for warning in other.warning)
    assert not [button for button in other.button if button.label == "Clear the room"]


def test_a_rooms_view_is_read_from_the_database_at_most_once_in_its_fresh_period(
    lab_env,  # noqa: F811
    open_page,
    monkeypatch,
):
    from core.lab import store
    from ui import lab_room_view

    teacher, code, _ = make_room(open_page)
    monkeypatch.setattr(store, "VIEW_FRESH_SECONDS", 3600)
    lab_room_view.forget_view(code)
    asked = []
    version = store.Lab.version
    monkeypatch.setattr(store.Lab, "version", lambda self, room: asked.append(room) or version(self, room))
    students = [open_page(LAB_PAGE, timeout=120, params={"room": code}) for _ in range(3)]
    for app in students:
        app.run()
    assert asked == [code]  # six page runs of three sessions, one question to the database
    lab = store.Lab()
    lab.add(code, lab_env.x_test[0], lab_env.x_test[0], 1, 1, 0.9, "net", "someone")
    students[0].run()
    assert metric(students[0], "Drawings") == "0"  # not yet: the view is still fresh
    monkeypatch.setattr(store, "VIEW_FRESH_SECONDS", 0)
    students[0].run()
    assert metric(students[0], "Drawings") == "1"


def test_teaching_says_why_it_cannot_start_before_it_is_pressed(lab_env, open_page):  # noqa: F811
    from core.lab import store

    teacher, code, _ = make_room(open_page)
    lab = store.Lab()
    for digit in range(10):  # each digit once: the fewest the button allowed, and nothing to hold out
        lab.add(code, lab_env.x_test[digit], lab_env.x_test[digit], digit, digit, 0.9, "net", f"s{digit}")
    teacher.run()
    [teach] = [button for button in teacher.button if button.label == "Teach the network our handwriting"]
    assert teach.disabled
    assert any("at least two drawings of some digit" in caption.value for caption in teacher.caption)


@pytest.mark.slow  # trains a network in a worker process
def test_one_teaching_per_room_at_a_time(lab_env, open_page):  # noqa: F811
    from core import jobs
    from core.lab import store

    teacher, code, _ = make_room(open_page)
    lab = store.Lab()
    for index in range(12):
        lab.add(
            code, lab_env.x_test[index], lab_env.x_test[index], int(lab_env.y_test[index]), 0, 0.5, "net", f"s{index}"
        )
    teacher.run()
    next(button for button in teacher.button if button.label == "Teach the network our handwriting").click().run()
    assert not teacher.exception
    job = jobs.runner().get(teacher.session_state["lab_teaching"])
    assert not job.finished  # its process is still importing TensorFlow: seconds, not a page run
    [teach] = [button for button in teacher.button if button.label == "Teach the network our handwriting"]
    assert teach.disabled  # while it is queued or running, the button waits
    assert job.wait(300).state == "done"


@pytest.mark.parametrize(
    "selection",
    [
        None,
        {},
        {"selection": {}},
        {"selection": {"spot": []}},
        {"selection": {"spot": [{"x1": "text", "x2": 0}]}},
        {"selection": {"spot": [{"x2": 0.5}]}},
        {"selection": {"spot": [{"x1": float("nan"), "x2": 0}]}},
        {"selection": {"spot": [{"x1": 1e308, "x2": 0}]}},
        {"selection": {"spot": [{"x1": [1], "x2": 0}]}},
        {"selection": "spot"},
        {"selection": {"spot": "x"}},
    ],
)
def test_a_forged_click_on_the_playgrounds_plane_adds_no_point(selection):
    from core.charts import playground as playground_charts
    from ui.playground import clicked_point

    assert playground_charts.SPOT == "spot"
    assert clicked_point(selection) is None


def test_a_real_click_on_the_plane_adds_its_point():
    from ui.playground import clicked_point

    assert clicked_point({"selection": {"spot": [{"x1": 0.12345, "x2": -1.5}]}}) == (0.123, -1.5)


@pytest.mark.parametrize("show", ["", ",,,", "nothing_here"])
def test_a_show_list_that_names_no_control_hides_none_and_says_so(show, open_page):
    app = open_page("lessons/hidden_layers.py", params={"show": show})
    assert not app.exception
    assert any("names no control of this page, so every control can be changed" in info.value for info in app.info)
    assert [slider for slider in app.slider if slider.key == "noise"]  # still there
    assert not any("fixes the other settings" in info.value for info in app.info)


def test_buttons_a_held_link_makes_useless_are_hidden(open_page):
    app = open_page("lessons/hidden_layers.py", params={"show": "activation"})
    labels = [button.label for button in app.button]
    assert "New data" not in labels and "New start" not in labels
    assert not [expander for expander in app.expander if expander.label.startswith("Your own points")]
    free = open_page("lessons/hidden_layers.py", params={"show": "seed,weights,dataset"})
    labels = [button.label for button in free.button]
    assert "New data" in labels and "New start" in labels
    assert [expander for expander in free.expander if expander.label.startswith("Your own points")]


@pytest.mark.parametrize("written, shown", [("10", "10.0"), ("1e1", "10.0"), ("0.30", "0.3")])
def test_a_number_in_a_link_written_as_a_person_writes_it_is_taken(written, shown, open_page):
    app = open_page("lessons/backprop.py", params={"rate": written})
    assert not app.exception
    assert not any("cannot use" in info.value for info in app.info)
    assert app.selectbox(key="rate").value == float(shown)


@pytest.mark.parametrize("typed", ["k7qm3x", " K7QM 3X ", "k7qm-3x"])
def test_a_room_code_typed_in_lower_case_or_with_spaces_is_read_as_meant(typed):
    from core.lab import store

    assert store.as_code(typed) == "K7QM3X" and store.as_code("hello") == "hello"


def test_a_room_link_in_lower_case_opens_the_room(lab_env, open_page):  # noqa: F811
    _, code, _ = make_room(open_page)
    app = open_page(LAB_PAGE, timeout=120, params={"room": code.lower()})
    assert not any("There is no room" in error.value for error in app.error)
    assert app.query_params["room"] == code
