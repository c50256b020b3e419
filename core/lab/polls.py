"""Live polls in a class lab room: the teacher opens one of a lesson's "Predict before you press"
questions, every student's device shows it, each answers (and may change the answer) until the
teacher reveals, and the projector counts the answers live.

Stored in the class lab's database (core/db/schema.py: `polls`, `answers`), through the Lab's
own transactions, so SQLite and PostgreSQL behave the same. Answers are anonymous: the poll, the
answer, the time, and `voter`, the device that answered (core/lab/devices.py: a SHA-256 of the
signed token its browser keeps), so one device counts once, its last answer. Only a device that
has joined the room answers, so a locked room takes no new voters, and a poll never holds more
answers than the room has devices (at most devices.MAX_DEVICES). No names.

Only the room's teacher key opens, reveals, closes or clears polls, sets the class's lesson, or
reads the answers as CSV; every such call checks the key here, whatever the page asked for.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from core.db.schema import ANSWERS, LINK_LENGTH, POLLS, ROOMS, TEXT_LENGTH
from core.i18n import N_, english
from core.lab.answers import checked, right_answers
from core.lab.devices import Devices, device_of
from core.lab.store import RoomProblem, valid_code

MAX_POLLS = 200  # per room; the teacher clears the room's answers to ask more


@dataclass(frozen=True)
class Poll:
    id: int
    lesson: str  # the lesson's url path
    question: str  # the Question's name on that lesson
    settings: str  # the fingerprint of the settings it was asked for
    text: str
    choices: tuple
    answer: str  # the right answer (or several, see ANSWER_SEPARATOR): shown only once `revealed`
    revealed: bool

    @property
    def right(self):
        """The choices that count as right."""
        return right_answers(self.answer)


def fingerprint(settings):
    """A short, stable name for the settings a question was asked for (any repr-able value)."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:64]


def _now():
    return datetime.now(timezone.utc)


def _upsert(connection, row):
    """Insert an answer, or replace the voter's earlier one (both SQLite and PostgreSQL say it
    with INSERT … ON CONFLICT, in their own dialects)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(ANSWERS).values(**row)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[ANSWERS.c.poll, ANSWERS.c.voter],
            set_={"choice": statement.excluded.choice, "answered": statement.excluded.answered},
        )
    )


class Polls:
    """A room's polls, in the database of `lab` (a core.lab.store.Lab)."""

    def __init__(self, lab):
        self.lab = lab

    def _teacher(self, code, teacher_key):
        self.lab.require_teacher(code, teacher_key)

    def open(self, code, teacher_key, lesson, question, settings, text, choices, answer):
        """Open a poll (teacher only) and make it the room's current one (the one before is
        closed); return its id. The same question for the same settings, still open, is kept."""
        self._teacher(code, teacher_key)
        choices, answer = checked(choices, answer)
        current = self.current(code)
        if current and (current.lesson, current.question, current.settings) == (
            lesson,
            question,
            fingerprint(settings),
        ):
            return current.id

        def insert(connection):
            connection.execute(sa.select(ROOMS.c.code).where(ROOMS.c.code == code).with_for_update())
            count = connection.execute(sa.select(sa.func.count()).where(POLLS.c.room == code)).scalar()
            if count >= MAX_POLLS:
                raise RoomProblem(
                    N_("this room has asked {count} polls, the most it keeps: clear its answers to ask more"),
                    count=MAX_POLLS,
                )
            now = _now()
            connection.execute(
                POLLS.update().where((POLLS.c.room == code) & POLLS.c.closed.is_(None)).values(closed=now)
            )
            return connection.execute(
                POLLS.insert().values(
                    room=code,
                    lesson=str(lesson)[:40],
                    question=str(question)[:40],
                    settings=fingerprint(settings),
                    text=str(text)[:TEXT_LENGTH],
                    choices=list(choices),
                    answer=str(answer),
                    opened=now,
                )
            ).inserted_primary_key[0]

        return self.lab.transaction(insert, refused=N_("this room was deleted a moment ago"))

    def current(self, code):
        """The room's current poll (open or revealed, not closed), or None."""
        if not valid_code(code):
            return None
        row = self.lab.transaction(
            lambda c: c.execute(
                sa.select(POLLS)
                .where((POLLS.c.room == code) & POLLS.c.closed.is_(None))
                .order_by(POLLS.c.id.desc())
                .limit(1)
            ).first(),
            read_only=True,
        )
        if row is None:
            return None
        return Poll(
            row.id,
            row.lesson,
            row.question,
            row.settings,
            row.text,
            tuple(row.choices),
            row.answer,
            row.revealed is not None,
        )

    def answer(self, code, poll_id, token, choice):
        """Store a device's answer (the index of one of the poll's choices), replacing its earlier
        one; the device joins the room first if it has not (devices.Devices.join). Refused in words
        for a device that may not join, an unknown, closed or revealed poll, or no such answer."""
        Devices(self.lab).join(code, token)

        def store(connection):
            poll = connection.execute(
                sa.select(POLLS.c.choices, POLLS.c.revealed, POLLS.c.closed)
                .where((POLLS.c.id == int(poll_id)) & (POLLS.c.room == code))
                .with_for_update()
            ).first()
            if poll is None:
                raise RoomProblem(N_("this room has no such poll"))
            if poll.closed is not None:
                raise RoomProblem(N_("this poll is closed: your teacher has moved on"))
            if poll.revealed is not None:
                raise RoomProblem(N_("the answer has been revealed, so answers are no longer taken"))
            if not (isinstance(choice, int) and 0 <= choice < len(poll.choices)):
                raise RoomProblem(N_("that is not one of this poll's answers"))
            _upsert(connection, dict(poll=int(poll_id), voter=device_of(token), choice=choice, answered=_now()))

        self.lab.transaction(store, refused=N_("this poll was cleared a moment ago"))

    def mine(self, poll_id, token):
        """The index of this device's answer to the poll, or None."""
        return self.lab.transaction(
            lambda c: c.execute(
                sa.select(ANSWERS.c.choice).where(
                    (ANSWERS.c.poll == int(poll_id)) & (ANSWERS.c.voter == device_of(token))
                )
            ).scalar(),
            read_only=True,
        )

    def counts(self, poll):
        """How many answered each of the poll's choices, in order."""
        rows = self.lab.transaction(
            lambda c: c.execute(
                sa.select(ANSWERS.c.choice, sa.func.count()).where(ANSWERS.c.poll == poll.id).group_by(ANSWERS.c.choice)
            ).all(),
            read_only=True,
        )
        found = dict(rows)
        return [found.get(index, 0) for index in range(len(poll.choices))]

    def reveal(self, code, teacher_key, poll_id):
        """Stop taking answers and let every device show the right one (teacher only)."""
        self._teacher(code, teacher_key)
        self.lab.transaction(
            lambda c: c.execute(
                POLLS.update()
                .where((POLLS.c.id == int(poll_id)) & (POLLS.c.room == code) & POLLS.c.revealed.is_(None))
                .values(revealed=_now())
            )
        )

    def close(self, code, teacher_key):
        """Close the room's current poll, if any (teacher only): devices stop showing it."""
        self._teacher(code, teacher_key)
        self.lab.transaction(
            lambda c: c.execute(
                POLLS.update().where((POLLS.c.room == code) & POLLS.c.closed.is_(None)).values(closed=_now())
            )
        )

    def clear(self, code, teacher_key):
        """Delete every poll of the room and their answers (teacher only); return how many answers."""
        self._teacher(code, teacher_key)

        def delete(connection):
            polls = sa.select(POLLS.c.id).where(POLLS.c.room == code)
            answers = connection.execute(ANSWERS.delete().where(ANSWERS.c.poll.in_(polls))).rowcount
            connection.execute(POLLS.delete().where(POLLS.c.room == code))
            return answers

        return self.lab.transaction(delete)

    def as_csv(self, code, teacher_key):
        """Every answer in the room, one row each (teacher only): the poll, its lesson and
        question, the answer, whether it was right, and when. No voter, no token."""
        self._teacher(code, teacher_key)
        rows = self.lab.transaction(
            lambda c: c.execute(
                sa.select(
                    POLLS.c.id,
                    POLLS.c.lesson,
                    POLLS.c.text,
                    POLLS.c.choices,
                    POLLS.c.answer,
                    ANSWERS.c.choice,
                    ANSWERS.c.answered,
                )
                .join(ANSWERS, ANSWERS.c.poll == POLLS.c.id)
                .where(POLLS.c.room == code)
                .order_by(POLLS.c.id, ANSWERS.c.answered)
            ).all(),
            read_only=True,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["poll", "lesson", "question", "answer", "right", "answered_utc"])
        for poll, lesson, text, choices, right, choice, answered in rows:
            writer.writerow(
                [
                    poll,
                    lesson,
                    english(text),  # a sentence with values is kept as data (core/i18n.py)
                    choices[choice],
                    int(choices[choice] == right),
                    answered.replace(tzinfo=None).isoformat(timespec="seconds"),
                ]
            )
        return buffer.getvalue()

    def lead(self, code, teacher_key, lesson):
        """Say which lesson the class is on (teacher only): `lesson` is its link path, with the
        settings the teacher's page has. A poll of another lesson is closed."""
        self._teacher(code, teacher_key)
        lesson = str(lesson)[:LINK_LENGTH]

        def update(connection):
            before = connection.execute(sa.select(ROOMS.c.lesson).where(ROOMS.c.code == code)).scalar()
            if before == lesson:
                return
            connection.execute(
                POLLS.update()
                .where(  # a poll of another lesson is over
                    (POLLS.c.room == code) & POLLS.c.closed.is_(None) & (POLLS.c.lesson != lesson.split("?")[0])
                )
                .values(closed=_now())
            )
            connection.execute(ROOMS.update().where(ROOMS.c.code == code).values(lesson=lesson))

        self.lab.transaction(update)

    def lesson_of(self, code):
        """The link path of the lesson the class is on, or None."""
        if not valid_code(code):
            return None
        return self.lab.transaction(
            lambda c: c.execute(sa.select(ROOMS.c.lesson).where(ROOMS.c.code == code)).scalar(), read_only=True
        )
