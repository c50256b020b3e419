"""Streamlit-side helpers shared by the pages: lesson list, page furniture and page state."""
