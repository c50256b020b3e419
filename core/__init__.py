"""The explorer's math, data, models and chart builders. Plain Python: never imports Streamlit."""
