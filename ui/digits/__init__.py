"""The handwriting lesson's Streamlit side: shared resources, its controls, and one module per section of the page."""
