"""Live polls in the class lab's database, on SQLite and PostgreSQL: one answer per device (the
last counts), nothing lost when a class answers at once, only the teacher key opens, reveals,
closes or clears, and refusals said in words."""

import csv
import io
import threading

import pytest

from core.lab import polls as poll_store
from core.lab import store
from core.lab.devices import Devices
from core.lab.polls import Polls
from core.lab.store import Lab, RoomProblem

CHOICES = ("it settles", "it diverges")


@pytest.fixture(autouse=True)
def rooms_without_a_daily_cap(monkeypatch):
    """These tests make many rooms in a database other tests share; the daily cap has its own test."""
    monkeypatch.setattr(store, "MAX_ROOMS_PER_DAY", 10**6)


def phone(lab, name, _issued={}):
    """The token the device called `name` holds (one per name and database, issued as a browser's is)."""
    return _issued.setdefault((lab.url, name), Devices(lab).issue())


def opened(lab, settings=(0.5,)):
    room = lab.create_room()
    polls = Polls(lab)
    poll_id = polls.open(
        room.code, room.teacher_key, "descent", "marble", settings, "Will it settle?", CHOICES, "it diverges"
    )
    return room, polls, poll_id


def test_each_device_counts_once_and_its_last_answer_counts(lab):
    room, polls, poll_id = opened(lab)
    poll = polls.current(room.code)
    assert (poll.id, poll.choices, poll.revealed) == (poll_id, CHOICES, False)
    polls.answer(room.code, poll_id, phone(lab, "phone-a"), 0)
    polls.answer(room.code, poll_id, phone(lab, "phone-b"), 0)
    polls.answer(room.code, poll_id, phone(lab, "phone-a"), 1)  # changed their mind
    assert polls.counts(poll) == [1, 1]
    assert (
        polls.mine(poll_id, phone(lab, "phone-a")),
        polls.mine(poll_id, phone(lab, "phone-b")),
        polls.mine(poll_id, phone(lab, "phone-c")),
    ) == (1, 0, None)


def test_thirty_students_answering_at_once_lose_nothing(lab):
    room, polls, poll_id = opened(lab)
    start, failures = threading.Barrier(30), []

    def student(number):
        start.wait()
        try:
            polls.answer(room.code, poll_id, phone(lab, f"student-{number}"), number % 2)
        except Exception as error:  # noqa: BLE001 - any failure is a lost answer
            failures.append(repr(error))

    threads = [threading.Thread(target=student, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert polls.counts(polls.current(room.code)) == [15, 15]


def test_after_the_reveal_answers_are_refused_and_the_answer_is_known(lab):
    room, polls, poll_id = opened(lab)
    polls.answer(room.code, poll_id, phone(lab, "phone-a"), 1)
    polls.reveal(room.code, room.teacher_key, poll_id)
    poll = polls.current(room.code)
    assert poll.revealed and poll.answer == "it diverges"
    with pytest.raises(RoomProblem, match="revealed"):
        polls.answer(room.code, poll_id, phone(lab, "phone-b"), 0)
    assert polls.counts(poll) == [0, 1]


@pytest.mark.parametrize(
    "poll_offset, choice, words",
    [(1000, 0, "no such poll"), (0, 2, "not one of"), (0, -1, "not one of"), (0, "0", "not one of")],
)
def test_answers_to_an_unknown_poll_or_an_answer_it_does_not_offer_are_refused(lab, poll_offset, choice, words):
    room, polls, poll_id = opened(lab)
    with pytest.raises(RoomProblem, match=words):
        polls.answer(room.code, poll_id + poll_offset, phone(lab, "phone-a"), choice)
    other, _, _ = opened(lab)
    with pytest.raises(RoomProblem, match="no such poll"):  # a poll of another room
        polls.answer(other.code, poll_id, phone(lab, "phone-a"), 0)


def test_opening_another_poll_closes_the_one_before(lab):
    room, polls, first = opened(lab)
    again = polls.open(
        room.code, room.teacher_key, "descent", "marble", (0.5,), "Will it settle?", CHOICES, "it diverges"
    )
    assert again == first  # the same question for the same settings is the same poll
    second = polls.open(
        room.code, room.teacher_key, "descent", "marble", (1.5,), "Will it settle?", CHOICES, "it diverges"
    )
    assert polls.current(room.code).id == second != first
    with pytest.raises(RoomProblem, match="closed"):
        polls.answer(room.code, first, phone(lab, "phone-a"), 0)
    polls.close(room.code, room.teacher_key)
    assert polls.current(room.code) is None


def test_a_key_less_caller_can_never_open_reveal_close_clear_lead_or_read_answers(lab):
    room, polls, poll_id = opened(lab)
    polls.answer(room.code, poll_id, phone(lab, "phone-a"), 0)
    other = lab.create_room()  # a real teacher key, of another room
    for key in (None, "", "guess", other.teacher_key, room.teacher_key + "x"):
        attempts = [
            lambda: polls.open(room.code, key, "loss", "cancel", (), "What is it?", ("0", "2"), "0"),
            lambda: polls.reveal(room.code, key, poll_id),
            lambda: polls.close(room.code, key),
            lambda: polls.clear(room.code, key),
            lambda: polls.as_csv(room.code, key),
            lambda: polls.lead(room.code, key, "loss"),
        ]
        for attempt in attempts:
            with pytest.raises(RoomProblem, match="teacher"):
                attempt()
    poll = polls.current(room.code)
    assert (poll.id, poll.revealed, polls.counts(poll)) == (poll_id, False, [1, 0])
    assert polls.lesson_of(room.code) is None


def test_the_teacher_clears_the_rooms_answers_and_reads_them_as_csv(lab):
    room, polls, poll_id = opened(lab)
    for number, choice in enumerate((0, 1, 1)):
        polls.answer(room.code, poll_id, phone(lab, f"phone-{number}"), choice)
    rows = list(csv.DictReader(io.StringIO(polls.as_csv(room.code, room.teacher_key))))
    assert [(row["answer"], row["right"]) for row in rows] == [
        ("it settles", "0"),
        ("it diverges", "1"),
        ("it diverges", "1"),
    ]
    assert {row["lesson"] for row in rows} == {"descent"} and "phone" not in polls.as_csv(room.code, room.teacher_key)
    assert polls.clear(room.code, room.teacher_key) == 3
    assert polls.current(room.code) is None
    assert polls.as_csv(room.code, room.teacher_key).strip() == "poll,lesson,question,answer,right,answered_utc"


def test_a_room_keeps_at_most_its_polls(lab, monkeypatch):
    monkeypatch.setattr(poll_store, "MAX_POLLS", 3)
    room, polls, _ = opened(lab)
    for rate in (1.0, 2.0):
        polls.open(room.code, room.teacher_key, "descent", "marble", (rate,), "Will it settle?", CHOICES, "it settles")
    with pytest.raises(RoomProblem, match="3 polls"):
        polls.open(room.code, room.teacher_key, "descent", "marble", (3.0,), "Will it settle?", CHOICES, "it settles")
    polls.clear(room.code, room.teacher_key)
    polls.open(room.code, room.teacher_key, "descent", "marble", (3.0,), "Will it settle?", CHOICES, "it settles")


@pytest.mark.parametrize("choices, answer", [(("one",), "one"), (("a", "a"), "a"), (("a", "b"), "c")])
def test_a_poll_without_two_distinct_answers_including_the_right_one_is_refused(lab, choices, answer):
    room = lab.create_room()
    with pytest.raises(RoomProblem):
        Polls(lab).open(room.code, room.teacher_key, "loss", "cancel", (), "?", choices, answer)


def test_the_teachers_lesson_is_stored_and_a_new_lesson_closes_the_poll(lab):
    room, polls, _ = opened(lab)
    polls.lead(room.code, room.teacher_key, "descent?rate=0.9")
    assert polls.lesson_of(room.code) == "descent?rate=0.9" and polls.current(room.code) is not None
    polls.lead(room.code, room.teacher_key, "hidden_layers")
    assert polls.lesson_of(room.code) == "hidden_layers" and polls.current(room.code) is None


def test_deleting_a_room_deletes_its_polls_and_answers(tmp_path):
    lab = Lab(f"sqlite:///{tmp_path / 'lab.sqlite'}")
    room, polls, poll_id = opened(lab)
    polls.answer(room.code, poll_id, phone(lab, "phone-a"), 0)
    from datetime import datetime, timedelta, timezone

    lab.expire(now=datetime.now(timezone.utc) + timedelta(days=40))
    assert not lab.exists(room.code)
    import sqlalchemy as sa

    with lab.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM answers")).scalar() == 0
        assert connection.execute(sa.text("SELECT count(*) FROM polls")).scalar() == 0
        assert connection.execute(sa.text("SELECT count(*) FROM devices")).scalar() == 0
