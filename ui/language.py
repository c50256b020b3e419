"""This run's language (core/i18n.py translates): the link's `lang`, else the one chosen here
earlier in this session, else the browser's (`st.context.locale`), else English. The sidebar's
picker changes it and writes it into the link, so shared and teacher links carry it; a student
who follows a teacher's lesson keeps their own (ui/poll_teacher.py leaves it out of the lesson's link).
Streamlit's page says `<html lang="en">` whatever it shows, so a small script in the page sets the
language a screen reader reads it in."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import i18n
from core.i18n import LANGUAGES, _, chosen, language_of
from ui.state import LANGUAGE, State

REMEMBERED = State("language")  # the session's language, kept from page to page
_SCRIPT = """
export default function (component) {
  const language = component.data && component.data.language;
  if (language) { window.parent.document.documentElement.lang = language; document.documentElement.lang = language; }
}
"""
_LANG_ATTRIBUTE = st.components.v2.component("nn_explorer_language", js=_SCRIPT)
HTML_LANG = {"en": "en", "es": "es", "de": "de", "zh": "zh-Hans"}


def current():
    """The language of this run (English outside a page's run: scripts, benchmarks)."""
    if get_script_run_ctx() is None:
        return i18n.ENGLISH
    link = language_of(st.query_params.get(LANGUAGE.key))
    return link or REMEMBERED.get() or chosen(browser=st.context.locale)


i18n.speaking = current  # every _() of a page run reads it


def picker():
    """The sidebar's language picker; the page's `lang` attribute."""
    speaking = current()
    REMEMBERED.set(speaking)
    if st.session_state.get(LANGUAGE.key) not in LANGUAGES or LANGUAGE.key in st.query_params:
        st.session_state[LANGUAGE.key] = speaking

    def change():
        REMEMBERED.set(st.session_state[LANGUAGE.key])
        st.query_params[LANGUAGE.key] = st.session_state[LANGUAGE.key]

    st.sidebar.selectbox(
        _("Language"),
        tuple(LANGUAGES),
        format_func=lambda code: LANGUAGES.get(code, code),
        key=LANGUAGE.key,
        on_change=change,
    )
    _LANG_ATTRIBUTE(key="page_language", data={"language": HTML_LANG[speaking]})
