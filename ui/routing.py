"""Where a run is: the url path of the page it shows, and the link's values as the page's controls
read them. Direct links to a lesson (/loss, /mnist…) go through app.py's navigation: the lessons
live in `lessons/`, not in a folder named `pages/`, which would switch Streamlit's legacy
multipage mode on and show a first visitor's lesson run on its own, without app.py.
"""

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state import get_session_state


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
