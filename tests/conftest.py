from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def open_page():
    """Return a function that starts the app and switches to one page, e.g. "pages/loss.py"."""
    def open_(path, timeout=30):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
        assert not app.exception
        app.switch_page(path).run()
        assert not app.exception, [e.value for e in app.exception]
        return app
    return open_


def metric(app, label):
    """Return the value shown by the metric with this label."""
    values = [m.value for m in app.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in app.metric]}"
    return values[0]
