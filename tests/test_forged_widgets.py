"""Widget values of the wrong kind, as a script sends them over Streamlit's websocket: a string for
a slider, a list for a button, broken JSON for a chart's selection. On every page, every widget
gets each wrong kind at once; the page must run to its end with its widgets at their defaults, and
the server counts what it dropped (ui/server.py)."""

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from tests.test_class_lab_page import lab_env  # noqa: F401 (a fixture)
from tests.test_mnist_page import trained_cache  # noqa: F401 (a fixture)

WRONG = {  # each kind of value a browser can send, filled with something no widget of another kind reads
    "string_value": lambda state: setattr(state, "string_value", "\u202e<b>nonsense</b>" * 3),
    "bool_value": lambda state: setattr(state, "bool_value", True),
    "int_value": lambda state: setattr(state, "int_value", -(2**62)),
    "double_value": lambda state: setattr(state, "double_value", 1e308),
    "double_array_value": lambda state: state.double_array_value.data.extend([1e308, -1e308, 7.0]),
    "int_array_value": lambda state: state.int_array_value.data.extend([10**12, -1]),
    "string_array_value": lambda state: state.string_array_value.data.extend(["x", "]"]),
    "json_value": lambda state: setattr(state, "json_value", "{not json"),
    "trigger_value": lambda state: setattr(state, "trigger_value", True),
    "bytes_value": lambda state: setattr(state, "bytes_value", b"\x00\xff" * 10),
}
PAGES = [
    "lessons/home.py",
    "lessons/loss.py",
    "lessons/perceptron.py",
    "lessons/sigmoid.py",
    "lessons/descent.py",
    "lessons/hidden_layers.py",
    "lessons/backprop.py",
]


def forged(app, kind):
    """Every widget on the page, given a value of `kind` where its own is another."""
    states = WidgetStates()
    for node in app._tree.get_widget_states().widgets:
        if node.WhichOneof("value") == kind:
            continue
        state = states.widgets.add()
        state.id = node.id
        WRONG[kind](state)
    return states


def survives_every_wrong_kind(app):
    from ui import server

    title = app.title[0].value
    before = server.dropped()
    for kind in WRONG:
        app._run(widget_state=forged(app, kind))
        assert not app.exception, (kind, [error.value for error in app.exception])
        assert app.title and app.title[0].value == title, kind  # the page ran to its end, not an error box
    assert server.dropped() > before


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_widget_on_a_lesson_given_a_value_of_every_wrong_kind_leaves_the_page_up(open_page, page):
    app = open_page(page)
    if page == "lessons/backprop.py":  # the backward pass shows its question and table: more widgets
        next(button for button in app.button if button.label == "Backward").click().run()
    survives_every_wrong_kind(app)


@pytest.mark.slow
def test_the_handwriting_page_survives_every_wrong_kind(environment, trained_cache, open_page):  # noqa: F811
    environment(trained_cache)
    survives_every_wrong_kind(open_page("lessons/mnist.py", timeout=90))


@pytest.mark.slow
def test_the_class_lab_survives_every_wrong_kind(lab_env, open_page):  # noqa: F811
    app = open_page("lessons/class_lab.py", timeout=120)
    next(button for button in app.button if button.label.startswith("Make a room")).click().run()
    survives_every_wrong_kind(app)


def test_a_flood_of_forged_values_is_logged_once_per_tenfold(caplog, monkeypatch):
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.runtime.state.common import WidgetMetadata
    from streamlit.runtime.state.session_state import Serialized, WStates

    from ui import server

    server.apply()
    monkeypatch.setitem(server._dropped, "count", 0)  # as on a fresh server (earlier tests dropped many)
    states = WStates()
    with caplog.at_level("WARNING", logger="ui.server"):
        for number in range(1000):
            sent = WidgetState(id=f"w{number}", string_value="x")
            states.states[sent.id] = Serialized(sent)
            states.widget_metadata[sent.id] = WidgetMetadata(
                sent.id,
                lambda value: None if value is None else float(value[0]),
                lambda v: v,
                value_type="double_array_value",
            )
            assert states[sent.id] is None  # what the widget's reader makes of no value: its default
    logged = [record.getMessage() for record in caplog.records if "dropped" in record.getMessage()]
    assert [message.rsplit("dropped: ", 1)[1] for message in logged] == [f"{n} so far" for n in (1, 10, 100, 1000)]
    assert json.dumps(server.dropped())  # a plain number, for benches
