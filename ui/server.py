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
- A browser sends each widget's value in a field of its own kind (a slider's numbers, a button's
  trigger, a component's JSON). A script can send any kind for any widget, and Streamlit hands it
  to the widget's reader as it came: a string for a slider ended the run in Streamlit's own code,
  with the page replaced by its error box and a traceback in the log, hundreds a second. This
  server drops a value of the wrong kind, or one the widget's reader cannot read, before the page
  sees it: the widget keeps its previous value (or its default), and the log says so once, then
  again at every tenfold count.
- (Streamlit also calls keras.backend.clear_session() after every script run, when Keras is
  loaded. This server never loads Keras, core/digits/network.py serves every network, so nothing
  needs changing there.)
- The first element a server process draws makes Streamlit check, once, whether it runs in a
  Python prompt rather than under `streamlit run`, to print a hint. The check reads the source of
  every frame on the stack, which makes Python look through every loaded module: that loads the
  modules this app leaves to load when first used (lazy_loader: Altair, pandas), 1.7 s on the first
  visitor's way to an answer. A server always runs under `streamlit run`, so the hint is marked as
  already given.
- Tracebacks are not shown to visitors: `.streamlit/config.toml` sets `client.showErrorDetails`.

ui/routing.py's use of Streamlit's query-parameter and page internals is checked by the same tests.
"""

import logging
import threading

import streamlit
from streamlit import delta_generator
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime import app_session
from streamlit.runtime.state import session_state

LOG = logging.getLogger(__name__)
HINT_GIVEN = "_use_warning_has_been_displayed"  # Streamlit's once-per-process "use streamlit run" hint
REPLACED = ((app_session.AppSession, "_handle_clear_cache_request"), (session_state.WStates, "__getitem__"))
# A custom component (the drawing pad) declares JSON but may answer with bytes or an Arrow table.
ALSO_ACCEPTED = {"json_value": {"bytes_value", "arrow_value"}}
_read_widget_value = session_state.WStates.__getitem__  # Streamlit's own, kept before it is replaced
_dropped = {"count": 0}
_dropped_lock = threading.Lock()


def _ignore_clear_cache(session):
    LOG.warning("a browser asked to clear the server's caches; ignored (restart the server to clear them)")


def _drop(states, widget_id, why):
    """Forget the value a browser sent for a widget, keeping its place (Streamlit may be going
    through the states): an empty value, which every widget reads as its default. Log the first,
    the tenth, the hundredth…"""
    states.states[widget_id] = session_state.Serialized(WidgetState(id=widget_id))
    with _dropped_lock:
        _dropped["count"] += 1
        count = _dropped["count"]
    if str(count).rstrip("0") == "1":  # the first, then at 10, 100, 1,000…: a flood is one line per tenfold
        LOG.warning("a browser sent a widget value this page cannot use (%s); dropped: %d so far", why, count)


def _checked_widget_value(states, widget_id):
    """Streamlit's WStates.__getitem__, but a value of the wrong kind for its widget, or one its
    reader refuses, is replaced by the widget's default first."""
    stored = states.states.get(widget_id)
    metadata = states.widget_metadata.get(widget_id)
    if not isinstance(stored, session_state.Serialized) or metadata is None:
        return _read_widget_value(states, widget_id)
    sent = stored.value.WhichOneof("value")
    if sent is not None and sent != metadata.value_type and sent not in ALSO_ACCEPTED.get(metadata.value_type, ()):
        _drop(states, widget_id, f"{sent} for a widget of {metadata.value_type}")
        return _read_widget_value(states, widget_id)
    try:
        return _read_widget_value(states, widget_id)
    except KeyError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever a forged value makes a widget's reader raise
        _drop(states, widget_id, f"{type(error).__name__} reading {metadata.value_type}")
        return _read_widget_value(states, widget_id)


def dropped():
    """How many widget values from browsers this server has dropped (for tests and benches)."""
    return _dropped["count"]


def apply():
    """Put this app's replacements in place, once per server process (the page header calls it on
    every run: after the first, it only checks they are still there); RuntimeError, naming the
    part, if Streamlit no longer has it."""
    for owner, name in REPLACED:
        if name not in vars(owner):  # its own, not one it inherits
            raise RuntimeError(
                f"Streamlit {streamlit.__version__} has no {owner.__name__}.{name}, which ui/server.py "
                "replaces: see tests/test_streamlit_internals.py"
            )
    for owner, name in ((session_state, "Serialized"), (delta_generator, HINT_GIVEN)):
        if not hasattr(owner, name):
            raise RuntimeError(
                f"Streamlit {streamlit.__version__} has no {owner.__name__}.{name}, which ui/server.py "
                "uses: see tests/test_streamlit_internals.py"
            )
    setattr(delta_generator, HINT_GIVEN, True)
    if session_state.WStates.__getitem__ is _checked_widget_value:
        return
    app_session.AppSession._handle_clear_cache_request = _ignore_clear_cache
    session_state.WStates.__getitem__ = _checked_widget_value
