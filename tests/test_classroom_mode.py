"""Classroom mode (the sidebar toggle, or ?classroom=true in a link): explanations fold to their
key sentence, and the class is asked to predict a result before it is shown."""

import pytest

from tests.conftest import metric

CLASSROOM = {"classroom": "true"}


def markdown_text(app):
    return " ".join(element.value for element in app.markdown)


def test_classroom_mode_folds_explanations_to_their_key_sentence(open_page):
    normal = open_page("lessons/loss.py")
    projector = open_page("lessons/loss.py", params=CLASSROOM)
    assert projector.sidebar.toggle(key="classroom").value and not normal.sidebar.toggle(key="classroom").value
    rest = "A straight line is the simplest model there is"
    assert rest in markdown_text(normal) and not [e for e in normal.expander if e.label == "More"]
    more = [expander for expander in projector.expander if expander.label == "More"]
    assert more and any(rest in element.value for element in more[0].markdown)
    assert not any(rest in element.value for element in projector.main.markdown if element not in more[0].markdown)

    def styles(app):
        return " ".join(html.proto.body for html in app.get("html"))

    assert "font-size: 130%" in styles(projector) and "font-size: 130%" not in styles(normal)  # larger type


def test_the_perceptron_asks_before_it_answers(open_page):
    app = open_page("lessons/perceptron.py", params={**CLASSROOM, "x1": "true"})
    assert not [m for m in app.metric if m.label == "Decision"]
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    reveal = app.button(key="france_reveal")
    assert reveal.disabled
    question.set_value("go (1)").run()
    app.button(key="france_reveal").click().run()
    assert metric(app, "Decision") == "stay (0)"  # (1, 0): z = 4 − 4 = 0, not > 0
    assert any("You said **go (1)**; the answer is **stay (0)**" in w.value for w in app.warning)
    app.toggle(key="x2").set_value(True).run()  # new inputs: a new question
    assert not [m for m in app.metric if m.label == "Decision"]


def test_the_marble_question_is_answered_by_the_run(open_page):
    app = open_page("lessons/descent.py", params={**CLASSROOM, "rate": "1.05"})
    assert not [e for e in app.error if "It diverges." in e.value]
    charts_before = len(app.get("vega_lite_chart"))
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    question.set_value("it diverges").run()
    app.button(key="marble_reveal").click().run()
    assert any("It diverges." in e.value for e in app.error)
    assert any("the answer is **it diverges**" in s.value for s in app.success)
    assert len(app.get("vega_lite_chart")) == charts_before + 2


def test_the_sigmoid_nudge_question_hides_the_outputs_until_revealed(open_page):
    normal = open_page("lessons/sigmoid.py")
    projector = open_page("lessons/sigmoid.py", params=CLASSROOM)
    assert metric(normal, "Perceptron output") and not [m for m in projector.metric if m.label == "Perceptron output"]
    [question] = [radio for radio in projector.radio if radio.label == "Your guess"]
    question.set_value("it flips").run()
    projector.button(key="nudge_reveal").click().run()
    assert metric(projector, "Perceptron output") == metric(normal, "Perceptron output")


def test_the_class_guesses_what_the_network_reads_before_it_is_shown(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page("lessons/mnist.py", timeout=90, params={**CLASSROOM, "input": "Random test digit"})
    assert not [m for m in app.metric if m.label == "Prediction"] and not app.tabs
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    question.set_value("3").run()
    app.button(key="digit_reveal").click().run()
    predicted = metric(app, "Prediction")
    assert any(f"You said **3**; the answer is **{predicted}**" in box.value for box in [*app.success, *app.warning])
    assert len(app.tabs) == 5
    next(b for b in app.button if "random test digit" in b.label).click().run()  # a new digit: a new question
    assert not [m for m in app.metric if m.label == "Prediction"]


@pytest.mark.slow
def test_the_loss_lesson_asks_whether_signed_errors_cancel(open_page):
    normal = open_page("lessons/loss.py")
    assert any("The signed error is not a loss" in w.value for w in normal.warning)
    app = open_page("lessons/loss.py", params=CLASSROOM)
    assert not any("The signed error is not a loss" in w.value for w in app.warning)
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    question.set_value("2").run()
    app.button(key="cancel_reveal").click().run()
    assert any("The signed error is not a loss" in w.value for w in app.warning)
    assert any("You said **2**; the answer is **0**" in w.value for w in app.warning)
    app.slider(key="m").set_value(3.0).run()  # the question does not depend on the line: still answered
    assert any("The signed error is not a loss" in w.value for w in app.warning)
