"""Neural Network Explorer: the entry point only routes to the lessons, in story order.

Streamlit runs this file as `__main__`. A job's worker process (core/jobs/local.py starts them
with multiprocessing's "spawn") loads the main script as well, as `__mp_main__`, before its job:
there it imports and routes nothing, so that a worker holds only what its job needs."""

if __name__ == "__main__":
    import streamlit as st

    from core.i18n import _
    from ui import language  # noqa: F401 - decides the language every _() of this run speaks
    from ui.lessons import HOME, LESSONS

    st.set_page_config(page_title=_("Neural Network Explorer"), page_icon=":material/neurology:", layout="wide")
    pages = [st.Page(HOME.path, title=_(HOME.title), icon=HOME.icon, url_path=HOME.url_path, default=True)]
    pages += [
        st.Page(lesson.path, title=_(lesson.title), icon=lesson.icon, url_path=lesson.url_path) for lesson in LESSONS
    ]
    st.navigation(pages).run()
