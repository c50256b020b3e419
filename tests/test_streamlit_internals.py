"""The private parts of Streamlit this app relies on, where no public API does the job
(ui/server.py, ui/routing.py, and the drawing pad's result in ui/digits/predict.py), each checked
by name: a Streamlit upgrade that moves one fails here, saying which, instead of a page quietly
doing the wrong thing."""

import dataclasses

import pytest
import streamlit

from tests.conftest import ROOT


def test_the_server_replaces_the_clear_cache_handler():
    from streamlit.runtime.app_session import AppSession

    from ui import server

    server.apply()
    server.apply()  # every page's run applies it: twice changes nothing
    assert AppSession._handle_clear_cache_request is server._ignore_clear_cache


def test_the_server_checks_widget_values_before_streamlit_reads_them():
    from streamlit.runtime.state.session_state import WStates

    from ui import server

    server.apply()
    server.apply()
    assert WStates.__getitem__ is server._checked_widget_value
    assert server._read_widget_value is not server._checked_widget_value  # Streamlit's own, kept to call


@pytest.mark.parametrize("which", [0, 1])
def test_a_part_streamlit_no_longer_has_stops_the_server_by_name(monkeypatch, which):
    from ui import server

    owner, name = server.REPLACED[which]
    monkeypatch.delattr(owner, name)
    with pytest.raises(RuntimeError, match=f"Streamlit {streamlit.__version__} has no {owner.__name__}.{name}"):
        server.apply()


def test_the_server_marks_streamlits_use_streamlit_run_hint_as_given(monkeypatch):
    from streamlit import delta_generator

    from ui import server

    monkeypatch.setattr(delta_generator, server.HINT_GIVEN, False)
    server.apply()
    assert getattr(delta_generator, server.HINT_GIVEN) is True  # so its check never walks the loaded modules
    monkeypatch.delattr(delta_generator, server.HINT_GIVEN)
    with pytest.raises(RuntimeError, match=f"has no streamlit.delta_generator.{server.HINT_GIVEN}"):
        server.apply()


def test_routing_finds_the_page_registry_and_no_pages_folder_switches_the_legacy_mode_on():
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    assert not (ROOT / "pages").exists()  # a `pages/` folder beside app.py would turn on Streamlit's legacy mode
    assert "pages_manager" in {field.name for field in dataclasses.fields(ScriptRunContext)}
    assert callable(PagesManager.get_pages) and "current_page_script_hash" in dir(PagesManager)


def test_routing_finds_the_query_parameters_first_load_copy_and_its_quiet_setters():
    from streamlit.runtime.state.query_params import QueryParams

    params = QueryParams()
    assert isinstance(params._initial_query_params, dict)  # ui/routing.forget_link_value edits it
    for name in ("remove_param", "set_with_no_forward_msg", "_send_query_param_msg"):
        assert callable(getattr(params, name)), name


def test_the_drawing_pad_hands_its_drawing_to_the_page_as_the_data_url_it_sent():
    """ui/digits/predict.py reads the pad's private `_image_data_url` and checks it itself (the
    component's own `image_data` decodes whatever arrives): the drawing sent must come out there."""
    from PIL import Image
    from streamlit.testing.v1 import AppTest

    from tests.test_mnist_page import canvas_state

    sent = canvas_state(Image.new("RGBA", (280, 280), "black"))
    app = AppTest.from_string(
        "import streamlit as st\nfrom streamlit_drawable_canvas import st_canvas\n"
        "pad = st_canvas(height=280, width=280, drawing_mode='freedraw', return_image_data=True, key='pad')\n"
        "st.text(pad._image_data_url)\n"
    )
    app.session_state["pad"] = sent
    app.run()
    assert not app.exception, app.exception
    assert app.text[0].value == sent["drawing"]["data"]
