"""Every slider of every page at both ends of its range: the page still renders without an
exception (learning rates at both ends, zero noise, one neuron, one epoch…)."""

import pytest

from ui.lessons import LESSONS

CONCEPT_PAGES = [lesson.path for lesson in LESSONS if not lesson.needs_tensorflow]


@pytest.mark.slow
@pytest.mark.parametrize("page", CONCEPT_PAGES)
def test_every_slider_at_both_ends(open_page, page):
    app = open_page(page)
    keys = [slider.key for slider in app.slider]
    assert keys
    for key in keys:
        for end in ("min", "max"):
            slider = app.slider(key=key)
            slider.set_value(getattr(slider, end)).run()
            assert not app.exception, (key, end, [e.value for e in app.exception])
        app.slider(key=key).set_value(app.slider(key=key).value).run()


@pytest.mark.slow
@pytest.mark.parametrize("page", CONCEPT_PAGES)
def test_every_select_option(open_page, page):
    app = open_page(page)
    for box in list(app.selectbox):
        start = box.index
        for index in [*range(len(box.options)), start]:  # then back where it was: a choice may hide other boxes
            app.selectbox(key=box.key).select_index(index).run()
            assert not app.exception, (box.key, box.options[index], [e.value for e in app.exception])


def test_playground_extremes_train_without_an_exception(open_page):
    app = open_page("lessons/hidden_layers.py")
    for key, value in (("layers", 6), ("noise", 0.0), ("test_share", 0.9)):
        app.slider(key=key).set_value(value)
    app.selectbox(key="rate").set_value(0.0003)
    app.selectbox(key="batch").set_value(100)
    app.selectbox(key="alpha").set_value(1.0).run()
    for index in range(6):
        app.number_input(key=f"neurons_{index}").set_value(1)
    app.run()
    next(button for button in app.button if button.label == "Train 10 epochs").click().run()
    assert not app.exception
    assert any(metric.label == "Epoch" and metric.value == "10" for metric in app.metric)
