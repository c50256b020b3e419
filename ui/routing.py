"""Direct links to a lesson (/loss, /mnist…) must go through app.py's navigation.

Streamlit treats an app with a `pages/` folder as a legacy multipage app until a script calls
st.navigation. On a freshly started server, a first visitor who follows a direct link would get
the lesson run on its own: no page config, and a sidebar listing every file. Turning that mode
off and rerunning lets app.py route the link, to the same page (page ids come from url paths).
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state import get_session_state

ROUTED = "_routed_through_app"


def route_through_app():
    """Rerun through app.py if this run came from Streamlit's legacy pages mode.

    Once per session: the switch is server-wide, and a second rerun would drop the widget event
    that started this run (AppTest, which resets the switch before every run, needs this too).
    """
    if PagesManager.uses_pages_directory and not st.session_state.get(ROUTED):
        st.session_state[ROUTED] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_url_path():
    """Return the url path of the page this run is showing ("loss", "mnist"…), or "" if unknown.

    Read from the page registry that st.navigation fills, the same one st.context.url uses."""
    context = get_script_run_ctx()
    if context is None:
        return ""
    page = context.pages_manager.get_pages().get(context.pages_manager.current_page_script_hash, {})
    return page.get("url_pathname", "")


def forget_link_value(key):
    """Take `key` out of the page's URL, and out of the copy Streamlit seeds bound widgets from on
    a first load (deleting it from st.query_params alone leaves that copy, and a widget would
    still read, and choke on, a value such as seed=inf)."""
    with get_session_state().query_params() as params:
        params._initial_query_params.pop(key, None)
        params.remove_param(key)


def respell_link_value(key, value):
    """Write a link's value as the page's control writes it ("10" becomes "10.0"), in the URL and
    in the copy bound widgets are seeded from, so the control takes the value the person meant."""
    with get_session_state().query_params() as params:
        params._initial_query_params[key] = [value]
        params.set_with_no_forward_msg(key, value)
        params._send_query_param_msg()
