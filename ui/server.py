"""Where this app's Streamlit server does what Streamlit's defaults do not, for a hosted link that
anyone can open (and script against): all in one place, applied by `apply()` (ui/page.py's
header, on every page's run; applying twice changes nothing). Each replaces a private part of
Streamlit because no public setting does it; tests/test_streamlit_internals.py fails, by name,
when an upgrade moves one, and `apply` refuses to start rather than silently doing nothing.

- A browser can send Streamlit a `clear_cache` message: meant for a developer's menu, it clears
  every server-wide cache (`st.cache_resource`, `st.cache_data`) for every visitor. Measured
  here, each clear made the server load its networks again and kept about 53 MB it never gave
  back. This server ignores the message from browsers (the menu item is hidden from visitors
  anyway); restart the server to start from empty caches. Tests clear caches in code as before.
- (Streamlit also calls keras.backend.clear_session() after every script run, when Keras is
  loaded. This server never loads Keras, core/digits/network.py serves every network, so nothing
  needs changing there.)
- Tracebacks are not shown to visitors: `.streamlit/config.toml` sets `client.showErrorDetails`.

ui/routing.py's use of Streamlit's query-parameter and page internals is checked by the same tests.
"""
import logging

import streamlit
from streamlit.runtime import app_session

LOG = logging.getLogger(__name__)
REPLACED = ((app_session.AppSession, "_handle_clear_cache_request"),)


def _ignore_clear_cache(session):
    LOG.warning("a browser asked to clear the server's caches; ignored (restart the server to clear them)")


def apply():
    """Put this app's replacements in place; RuntimeError, naming the part, if Streamlit no longer has it."""
    for owner, name in REPLACED:
        if not hasattr(owner, name):
            raise RuntimeError(f"Streamlit {streamlit.__version__} has no {owner.__name__}.{name}, which ui/server.py "
                               "replaces: see tests/test_streamlit_internals.py")
    app_session.AppSession._handle_clear_cache_request = _ignore_clear_cache
