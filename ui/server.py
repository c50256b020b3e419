"""What this app's Streamlit server does differently from Streamlit's defaults, for a hosted link
that anyone can open (and script against), in one place.

- A browser can send Streamlit a `clear_cache` message: meant for a developer's menu, it clears
  every server-wide cache (`st.cache_resource`, `st.cache_data`) for every visitor. Measured
  here, each clear made the server load its networks again and kept about 53 MB it never gave
  back. This server ignores the message from browsers (the menu item is hidden from visitors
  anyway); restart the server to start from empty caches. Tests clear caches in code as before.
- Tracebacks are not shown to visitors: `.streamlit/config.toml` sets `client.showErrorDetails`.
"""
import logging

from streamlit.runtime.app_session import AppSession

LOG = logging.getLogger(__name__)


def _ignore_clear_cache(session):
    LOG.warning("a browser asked to clear the server's caches; ignored (restart the server to clear them)")


def refuse_clear_cache_from_browsers():
    AppSession._handle_clear_cache_request = _ignore_clear_cache


refuse_clear_cache_from_browsers()
