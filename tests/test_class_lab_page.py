"""AppTest of the class lab: make a room, add drawings from two sessions, see them in the lab;
only the teacher deletes; bad links and a dead database get clear messages."""

import pytest

from core.digits.saved import ModelStore
from core.lab import limits, store
from tests.conftest import metric
from tests.test_mnist_page import canvas_state, drawing_of

PAGE = "lessons/class_lab.py"


@pytest.fixture
def lab_env(environment, tmp_path, monkeypatch, trained_default):
    """The lab's own SQLite file, and the default network trained on the small data."""
    monkeypatch.setenv("NN_EXPLORER_DB", f"sqlite:///{tmp_path / 'lab.sqlite'}")
    monkeypatch.setattr(store, "VIEW_FRESH_SECONDS", 0)  # every run reads the room (test_hostile checks the pause)
    data = environment(trained_default.directory)
    return data


def make_room(open_page):
    app = open_page(PAGE, timeout=120)
    next(button for button in app.button if button.label.startswith("Make a room")).click().run()
    assert not app.exception
    code = app.query_params["room"]
    links = [block.value for block in app.code]
    [teacher] = [link for link in links if "key=" in link]
    return app, code, teacher.split("key=")[1]


def add_drawing(app, image, meant):
    generation = app.session_state["lab_canvas_generation"] if "lab_canvas_generation" in app.session_state else 0
    app.session_state[f"lab_canvas_{generation}"] = canvas_state(image)
    app.run()
    app.button_group[0].set_value(meant).run()
    next(button for button in app.button if button.label == "Add to our set").click().run()
    assert not app.exception, [e.value for e in app.exception]


@pytest.mark.slow
def test_two_students_add_drawings_and_both_are_counted_in_the_lab(lab_env, open_page):
    teacher, code, key = make_room(open_page)
    assert store.valid_code(code) and len(key) >= 16
    assert any("shown this once" in warning.value for warning in teacher.warning)
    student = open_page(PAGE, timeout=120, params={"room": code})
    assert not any("key=" in block.value for block in student.code)  # the teacher link is not shown to others
    for app, index in ((teacher, 0), (student, 1)):
        add_drawing(app, drawing_of(lab_env.x_test[index]), int(lab_env.y_test[index]))
        assert any("Added your" in success.value for success in app.success)
    student.run()
    assert metric(student, "Drawings") == "2"
    stored = store.Lab().drawings(code)
    assert sorted(stored.labels.tolist()) == sorted(int(label) for label in lab_env.y_test[:2])
    assert stored.images.shape == (2, 28, 28) and stored.images.max() > 0


def test_a_second_addition_within_a_second_is_refused_and_the_drawing_kept(lab_env, open_page, monkeypatch):
    monkeypatch.setattr(limits, "MIN_SECONDS_BETWEEN_ADDITIONS", 60)  # however slow this machine's page runs are
    app, code, _ = make_room(open_page)
    add_drawing(app, drawing_of(lab_env.x_test[0]), 1)
    add_drawing(app, drawing_of(lab_env.x_test[1]), 2)
    assert any("one drawing a second" in error.value and "still on the pad" in error.value for error in app.error)
    assert store.Lab().count(code) == 1


@pytest.mark.slow
def test_only_the_teachers_session_can_delete(lab_env, open_page):
    teacher, code, key = make_room(open_page)
    for index in range(3):  # digits the small network may misread, so the gallery has something
        lab = store.Lab()
        lab.add(
            code,
            lab_env.x_test[index],
            lab_env.x_test[index],
            (int(lab_env.y_test[index]) + 1) % 10,
            0,
            0.5,
            "net",
            f"s{index}",
        )
    teacher.run()
    student = open_page(PAGE, timeout=120, params={"room": code})
    assert not [button for button in student.button if button.label == "Delete"]
    assert not [button for button in student.button if button.label == "Clear the room"]
    [choice] = [box for box in teacher.selectbox if box.key == "lab_delete_choice"]
    [first, *_] = choice.options
    assert first.startswith("1. meant ")
    stored = store.Lab().drawings(code).ids.tolist()
    chosen = next(drawing for drawing in stored if choice.format_func(drawing) == first)  # the drawing numbered 1
    choice.set_value(chosen).run()
    [delete] = [button for button in teacher.button if button.label == "Delete"]
    delete.click().run()
    assert sorted(store.Lab().drawings(code).ids.tolist()) == sorted(set(stored) - {chosen})
    wrong = open_page(PAGE, timeout=120, params={"room": code, "key": "not-the-key"})
    assert any("not this room's" in error.value for error in wrong.error)
    assert not [button for button in wrong.button if button.label == "Delete"]
    rightful = open_page(PAGE, timeout=120, params={"room": code, "key": key})
    assert "key" not in rightful.query_params  # taken out of the address bar a projector shows
    assert [button for button in rightful.button if button.label == "Delete"]


@pytest.mark.parametrize("code, message", [("ZZZZZZ", "There is no room"), ("hello", "not one this app makes")])
def test_an_unknown_or_malformed_room_gets_a_message(lab_env, open_page, code, message):
    app = open_page(PAGE, timeout=120, params={"room": code})
    assert any(message in error.value for error in app.error)
    assert not app.exception


def test_with_the_database_down_the_page_says_so_and_still_reads_drawings(
    environment, trained_default, monkeypatch, open_page
):
    monkeypatch.setenv("NN_EXPLORER_DB", "postgresql+psycopg://lab:lab@127.0.0.1:9/lab?connect_timeout=2")
    data = environment(trained_default.directory)
    app = open_page(PAGE, timeout=120, params={"room": "K7QM3X"})
    assert any("cannot be reached" in error.value for error in app.error)
    app.session_state["lab_canvas_0"] = canvas_state(drawing_of(data.x_test[0]))
    app.run()
    assert not app.exception
    assert metric(app, "Prediction") in [str(digit) for digit in range(10)]
    app.button_group[0].set_value(3).run()
    assert next(button for button in app.button if button.label == "Add to our set").disabled


@pytest.mark.slow  # trains a network in a worker process
def test_the_teacher_teaches_the_network_the_rooms_handwriting_and_only_that_room_uses_it(lab_env, open_page):
    from core import jobs

    teacher, code, _ = make_room(open_page)
    other, _, _ = make_room(open_page)
    other_code = other.query_params["room"]
    lab = store.Lab()
    for index in range(12):
        lab.add(
            code, lab_env.x_test[index], lab_env.x_test[index], int(lab_env.y_test[index]), 0, 0.5, "net", f"s{index}"
        )
    teacher.run()
    [teach] = [button for button in teacher.button if button.label == "Teach the network our handwriting"]
    teach.click().run()
    assert not teacher.exception, [e.value for e in teacher.exception]
    job = jobs.runner().get(teacher.session_state["lab_teaching"])
    assert job.wait(300).state == "done"
    teacher.run()
    assert not teacher.exception
    assert any("taught your handwriting" in success.value for success in teacher.success)
    taught = lab.network_of(code)
    assert taught and taught.startswith(f"room-{code}-")
    assert lab.network_of(other_code) is None  # no other room's network changes
    summary = ModelStore().metadata(taught)["fine_tune"]
    said = " ".join(success.value for success in teacher.success)
    assert ("no better after" in said) == (summary["held_out_after"] <= summary["held_out_before"])
    student = open_page(PAGE, timeout=120, params={"room": code})
    assert any("taught your handwriting" in success.value for success in student.success)
    assert not [button for button in student.button if button.label == "Teach the network our handwriting"]


def test_the_class_lab_shows_the_fine_tuning_code_and_the_room_network(lab_env, open_page):
    app, code, _ = make_room(open_page)
    assert f'np.load("class-{code}.npz")' in "\n".join(block.value for block in app.code)
    assert "Download for Keras (.keras)" in [button.label for button in app.get("download_button")]


def test_a_student_joins_by_typing_the_code_as_they_read_it(lab_env, open_page):
    _, code, _ = make_room(open_page)
    student = open_page(PAGE, timeout=120)
    student.main.text_input[0].input(f" {code[:3].lower()}-{code[3:]} ")  # a form: sent with its button
    next(button for button in student.main.button if button.label == "Join the room").click().run()
    assert not student.exception
    assert student.query_params["room"] == code
    assert any(f"**Room {code}**" in text.value for text in student.markdown)


@pytest.mark.parametrize("typed", ["K7QM3O", "hello!", "   "])
def test_text_that_is_no_room_code_is_said_in_words(lab_env, open_page, typed):
    app = open_page(PAGE, timeout=120)
    app.main.text_input[0].input(typed)
    next(button for button in app.main.button if button.label == "Join the room").click().run()
    assert not app.exception and "room" not in app.query_params
    assert any(
        "is not a room code" in error.value and "never has 0, O, 1, I or L" in error.value for error in app.error
    )


def test_the_room_shows_its_link_as_a_qr_code_and_its_code_in_large_type(lab_env, open_page):
    import io

    import segno
    from PIL import Image

    from ui.lab_join import qr_png

    app, code, _ = make_room(open_page)
    html = "".join(element.proto.body for element in app.get("html"))
    assert (
        f'aria-label="Room code {" ".join(code)}"' in html
        and f">{code[:4]}<span" in html
        and f">{code[4:]}</span></p>" in html
    )
    picture = Image.open(io.BytesIO(qr_png(f"http://school.example/class_lab?room={code}", 6)))
    side = segno.make(f"http://school.example/class_lab?room={code}", error="m").symbol_size(scale=6, border=4)
    assert picture.size == side  # the whole symbol with its quiet zone, unscaled
    assert picture.convert("L").getextrema() == (0, 255)  # black on white, for any phone camera


@pytest.mark.slow
def test_choosing_a_mistake_shows_the_class_drawings_that_fooled_it(lab_env, open_page, monkeypatch):
    monkeypatch.setattr(limits, "MIN_SECONDS_BETWEEN_ADDITIONS", 0.0)
    app, code, _ = make_room(open_page)
    digit = lab_env.x_test[0]
    wrong = (int(lab_env.y_test[0]) + 5) % 10  # a drawing labelled as another digit: the network reads it otherwise
    for meant in (wrong, wrong):
        add_drawing(app, drawing_of(digit), meant)
        app.run()
    chooser = app.selectbox(key="view_fooled_lab")
    mistake = next(option for option in chooser.options if option.startswith(f"written {wrong}, read as"))
    chooser.select_index(chooser.options.index(mistake)).run()
    assert not app.exception
    shown = [text.value for text in app.markdown if "class drawings written as" in text.value]
    assert shown and shown[0].startswith(f"**2 class drawings written as {wrong} and read as")
    assert len([image for image in app.image if "written" in str(image.proto)]) >= 2


def test_a_room_never_taught_offers_the_default_network_by_its_own_name(lab_env, open_page):
    app, code, _ = make_room(open_page)
    headings = [heading.value for heading in app.subheader]
    assert "The network reading your drawings, to take home" in headings
    assert not any("This room's network" in heading for heading in headings)
    assert any("read by the app's default network" in caption.value for caption in app.caption)


def test_messages_joined_to_a_reason_end_with_one_full_stop():
    from core.db.database import unavailable
    from ui.words import as_sentence

    reason = unavailable(ConnectionError("refused"))
    assert as_sentence(reason).endswith("as usual.") and not as_sentence(reason).endswith("..")
    assert f"Not added: {as_sentence('the room is full.')} Your drawing" == "Not added: the room is full. Your drawing"
    assert "drawings" not in str(reason).split(", so ")[0]  # the reason does not assume the page holds drawings
