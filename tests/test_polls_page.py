"""AppTest of live polls: a teacher's lesson asks the class, two students answer on their own
sessions, the teacher's page counts them and reveals, the students' pages show the answer and
follow the teacher; a key-less or forged link can never open, reveal or clear; a dead database
leaves the lesson working."""

import csv
import io
import re

import pytest

from core.lab import polls as poll_store
from core.lab import store
from core.lessons import descent

DESCENT = "lessons/descent.py"


@pytest.fixture
def room(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'lab.sqlite'}"
    monkeypatch.setenv("NN_EXPLORER_DB", url)
    lab = store.Lab(url)
    return lab, lab.create_room()


def buttons(app, label):
    return [button for button in app.button if button.label == label]


def texts(app):
    return " ".join(element.value for element in [*app.markdown, *app.success, *app.info, *app.error])


def click(app, label):
    [button] = buttons(app, label)
    button.click().run()
    assert not app.exception, [error.value for error in app.exception]


def teacher_and_students(open_page, room, page=DESCENT, students=2):
    lab, made = room
    teacher = open_page(page, params={"room": made.code, "key": made.teacher_key, "classroom": "true"})
    pupils = [open_page(page, params={"room": made.code}) for _ in range(students)]
    return teacher, pupils


@pytest.mark.slow
def test_a_poll_asked_on_the_projector_is_answered_on_two_devices_counted_and_revealed(open_page, room):
    lab, made = room
    teacher, (first, second) = teacher_and_students(open_page, room)
    assert "key" not in teacher.query_params  # the key leaves the address bar, which the projector shows
    click(teacher, "Ask the class")
    poll = poll_store.Polls(lab).current(made.code)
    assert poll.lesson == "descent" and poll.choices == descent.OUTCOMES
    for student, choice in ((first, "it settles"), (second, "it diverges")):
        student.run()
        assert "Your class's poll" in texts(student) and "will the marble settle" in texts(student)
        assert not [
            element for element in student.success if "After 30 steps" in element.value
        ]  # not before the reveal
        click(student, choice)
        assert f"Your answer: “{choice}”" in " ".join(caption.value for caption in student.caption)
    click(second, "it settles")  # changed their mind: the last answer counts
    teacher.run()
    assert "2 answered: 2 said “it settles”." in texts(teacher)
    click(teacher, "Reveal the answer")
    assert "The answer is **it settles**. 2 answered: 2 said “it settles”. 2 of 2 were right." in texts(teacher)
    assert any("After 30 steps" in element.value for element in teacher.success)  # the page runs the action
    first.run()
    assert "The answer is **it settles**. You said it too." in texts(first)
    assert any("After 30 steps" in element.value for element in first.success)
    assert not buttons(first, "it diverges")  # no more answers


@pytest.mark.parametrize(
    "page, choice",
    [
        ("lessons/loss.py", "0"),
        ("lessons/perceptron.py", "go (1)"),
        ("lessons/sigmoid.py", "it flips"),
        (DESCENT, "it diverges"),
    ],
)
def test_every_lessons_question_is_a_poll_with_nothing_written_for_it(open_page, room, page, choice):
    lab, made = room
    teacher, (student,) = teacher_and_students(open_page, room, page, students=1)
    click(teacher, "Ask the class")
    student.run()
    click(student, choice)
    teacher.run()
    assert f"1 answered: 1 said “{choice}”." in texts(teacher)
    assert poll_store.Polls(lab).current(made.code).lesson == page.split("/")[1].removesuffix(".py")


@pytest.mark.slow
def test_students_follow_the_teacher_to_the_next_lesson_and_may_come_back(open_page, room):
    lab, made = room
    teacher, (student,) = teacher_and_students(open_page, room, students=1)
    teacher.switch_page("lessons/hidden_layers.py").run()
    assert poll_store.Polls(lab).lesson_of(made.code).startswith("hidden_layers")
    student.run()
    assert student.title[0].value.startswith("Hidden layers")  # followed
    student.switch_page("lessons/loss.py").run()  # browses away
    student.run()
    assert student.title[0].value.startswith("A line") and "your class is on **Hidden layers**" in texts(student)
    click(student, "Back to the class's lesson")  # (AppTest keeps a page it switched to: Chromium checks the move)
    assert student.session_state["poll_followed"] == poll_store.Polls(lab).lesson_of(made.code)


@pytest.mark.slow
def test_students_take_the_teachers_settings_with_the_lesson(open_page, room):
    teacher, (student,) = teacher_and_students(open_page, room, students=1)
    teacher.slider(key="rate").set_value(0.9).run()
    student.run()
    student.run()
    assert student.slider(key="rate").value == pytest.approx(0.9)
    assert not student.sidebar.toggle(key="classroom").value  # a phone keeps its own view


@pytest.mark.slow
def test_a_link_without_the_teachers_key_can_never_open_reveal_or_clear(open_page, room):
    lab, made = room
    teacher, _ = teacher_and_students(open_page, room, students=0)
    click(teacher, "Ask the class")
    for key in (None, "forged-key", lab.create_room().teacher_key):  # none, a guess, another room's
        params = {"room": made.code, "classroom": "true"} | ({"key": key} if key else {})
        intruder = open_page(DESCENT, params=params)
        for label in ("Ask the class", "Reveal the answer", "Close the poll", "Clear the room's answers"):
            assert not buttons(intruder, label), (key, label)
        assert "Answers as CSV" not in [button.label for button in intruder.get("download_button")]
        assert "Your class's poll" in texts(intruder)  # a student's view
        if key:
            assert any("not this room's" in error.value for error in intruder.error)
    poll = poll_store.Polls(lab).current(made.code)
    assert poll is not None and not poll.revealed


@pytest.mark.slow
def test_the_teacher_downloads_the_answers_and_clears_them(open_page, room):
    lab, made = room
    teacher, (student,) = teacher_and_students(open_page, room, students=1)
    click(teacher, "Ask the class")
    student.run()
    click(student, "it diverges")
    polls = poll_store.Polls(lab)
    rows = list(csv.DictReader(io.StringIO(polls.as_csv(made.code, made.teacher_key))))
    assert [(row["lesson"], row["answer"], row["right"]) for row in rows] == [("descent", "it diverges", "0")]
    assert [button.label for button in teacher.get("download_button")].count("Answers as CSV") == 1
    click(teacher, "Clear the room's answers")
    assert polls.current(made.code) is None
    student.run()
    assert "Your class's poll" not in texts(student)


def test_a_dead_database_is_said_in_words_and_the_lesson_still_works(open_page, room, monkeypatch):
    _, made = room
    monkeypatch.setenv("NN_EXPLORER_DB", "postgresql+psycopg://lab:lab@127.0.0.1:9/lab")
    app = open_page(DESCENT, params={"room": made.code})
    assert any("cannot be reached" in error.value for error in app.error)
    assert any("After 30 steps" in element.value for element in app.success)


def test_a_student_joins_from_any_lessons_sidebar_by_typing_the_code(open_page, room):
    lab, made = room
    teacher, _ = teacher_and_students(open_page, room, students=0)
    click(teacher, "Ask the class")
    student = open_page("lessons/loss.py")
    student.sidebar.text_input[0].input(made.code.lower())
    next(button for button in student.sidebar.button if button.label == "Join the room").click().run()
    assert student.session_state["poll_room"] == made.code and "Your class's poll" in texts(student)
    assert student.session_state["poll_followed"].startswith("descent")  # sent to the class's lesson


def test_leaving_the_room_makes_the_pages_the_students_own_again(open_page, room):
    _, made = room
    student = open_page("lessons/loss.py", params={"room": made.code})
    click(student, "Leave the room")
    student.run()
    assert student.session_state["poll_room"] is None and "room" not in student.query_params
    assert "Your class's poll" not in texts(student) and "Room" not in " ".join(c.value for c in student.caption)


@pytest.mark.slow
def test_sessions_a_script_opens_are_new_devices_paced_and_shut_out_by_the_lock(open_page, room, monkeypatch):
    """Forged sessions (no browser reports a token, as a script's websocket): each is a new device,
    so past the room's pace they are refused in words and not counted; after the teacher locks the
    room no new session answers, and those already in still do."""
    from core.lab import devices

    monkeypatch.setattr(devices, "NEW_DEVICES_PER_MINUTE", 3)
    lab, made = room
    teacher, pupils = teacher_and_students(open_page, room, students=5)
    click(teacher, "Ask the class")
    for pupil in pupils:
        pupil.run()
        click(pupil, "it diverges")
    refused = [pupil for pupil in pupils if "more devices are joining this room" in texts(pupil)]
    assert len(refused) == 2
    teacher.run()
    assert "3 answered: 3 said “it diverges”." in texts(teacher)
    assert "3 devices** joined" in texts(teacher)
    click(teacher, "Lock the room")
    assert "The room is **locked**" in texts(teacher)
    monkeypatch.setattr(devices, "NEW_DEVICES_PER_MINUTE", 100)
    late = open_page(DESCENT, params={"room": made.code})
    click(late, "it settles")
    assert "your teacher has locked this room" in texts(late)
    click(pupils[0], "it settles")  # a device already in changes its answer
    teacher.run()
    assert "3 answered: 1 said “it settles”; 2 said “it diverges”." in texts(teacher)


@pytest.mark.slow
def test_a_session_guessing_room_codes_is_told_to_wait(open_page, room):
    from core.lab import joins

    lab, made = room
    guesser = open_page(DESCENT)
    for guess in range(joins.FAILS_PER_SESSION):
        guesser.query_params["room"] = f"ABCDEFG{'23456789'[guess]}"
        guesser.run()
        assert not guesser.exception and "Your class's poll" not in texts(guesser)
    guesser.query_params["room"] = made.code
    guesser.run()
    assert "cannot be looked up yet" in texts(guesser) and re.search(r"wait \d+ s", texts(guesser))
    assert f"Room **{made.code}**" not in texts(guesser) + " ".join(c.value for c in guesser.caption)
