"""The class lab's storage on a real SQLite file and, when one is running, a real PostgreSQL
server: nothing lost under a class's load, rooms apart, teacher-only changes, clear limits."""

import io
import itertools
import threading
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from core.lab import drawings as room_drawings
from core.lab import limits, store
from core.lab.store import DatabaseUnavailable, Lab, Room, RoomProblem


def picture(value):
    return np.full((28, 28), value, dtype=np.uint8)


def add(lab, room, label, session, value=None):
    value = label * 20 if value is None else value
    return lab.add(room.code, picture(value), picture(255 - value), label, (label + 1) % 10, 0.5, "net", session)


def test_thirty_students_adding_ten_drawings_each_at_once_lose_nothing(lab):
    fast = itertools.count(step=2.0)  # a clock on which each addition comes 2 s after the one before
    lab = Lab(lab.url, room_pace=None, clock=lambda: next(fast))  # faster than the room's pace lets a class
    room = lab.create_room()
    start, failures = threading.Barrier(30), []

    def student(number):
        start.wait()
        for drawing in range(10):
            try:
                add(lab, room, (number + drawing) % 10, f"student-{number}", value=number)
            except Exception as error:  # noqa: BLE001 - any failure is a lost drawing
                failures.append(repr(error))

    threads = [threading.Thread(target=student, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    stored = lab.drawings(room.code)
    assert len(stored) == lab.count(room.code) == 300
    for number in range(30):  # every student's ten, with the right labels and pictures
        mine = stored.images[:, 0, 0] == number
        assert sorted(stored.labels[mine]) == sorted((number + drawing) % 10 for drawing in range(10))


def test_a_room_never_sees_or_changes_another_rooms_drawings(lab):
    ours, theirs = lab.create_room(), lab.create_room()
    assert ours.code != theirs.code and store.valid_code(ours.code)
    mine = add(lab, ours, 3, "a")
    other = add(lab, theirs, 7, "b")
    assert lab.drawings(ours.code).ids.tolist() == [mine]
    assert lab.drawings(theirs.code).labels.tolist() == [7]
    assert not lab.delete(ours.code, ours.teacher_key, other)  # our key, their drawing: nothing happens
    with pytest.raises(RoomProblem, match="only the teacher"):
        lab.delete(theirs.code, ours.teacher_key, other)  # our key on their room
    assert lab.count(theirs.code) == 1


def test_only_the_teacher_key_deletes_or_clears(lab):
    room = lab.create_room()
    first, _ = add(lab, room, 1, "a"), add(lab, room, 2, "b")
    for key in ("", "not-the-key", room.teacher_key[:-1], None):
        assert not lab.is_teacher(room.code, key)
        with pytest.raises(RoomProblem):
            lab.delete(room.code, key, first)
        with pytest.raises(RoomProblem):
            lab.clear(room.code, key)
    assert lab.count(room.code) == 2
    assert lab.delete(room.code, room.teacher_key, first)
    assert lab.drawings(room.code).labels.tolist() == [2]
    assert lab.clear(room.code, room.teacher_key) == 1 and lab.count(room.code) == 0


def test_the_key_is_stored_only_as_its_hash(lab):
    import sqlalchemy as sa

    room = lab.create_room()
    with lab.engine.connect() as connection:
        stored = connection.execute(sa.select(store.ROOMS).where(store.ROOMS.c.code == room.code)).one()
    assert room.teacher_key not in [str(value) for value in stored]
    assert stored.teacher_key_sha256 == __import__("hashlib").sha256(room.teacher_key.encode()).hexdigest()


def test_bad_rooms_labels_and_pictures_are_refused_in_words(lab):
    room = lab.create_room()
    for code in ("", "ABC", "abcdef", "O0I1L2", "'; DROP", None, "ZZZZZZ"):
        assert not lab.exists(code)
        with pytest.raises(RoomProblem, match="no room"):
            lab.add(code, picture(0), picture(0), 3, 3, 0.9, "net", "s")
    for label in (-1, 10, 3.5, "3", None):
        with pytest.raises(RoomProblem, match="0 to 9"):
            lab.add(room.code, picture(0), picture(0), label, 3, 0.9, "net", f"s{label}")
    with pytest.raises(RoomProblem, match="28 × 28"):
        lab.add(room.code, np.zeros((27, 28)), picture(0), 3, 3, 0.9, "net", "t")
    assert lab.count(room.code) == 0


def test_one_addition_a_second_per_session_and_a_full_room_says_so(lab, monkeypatch):
    room = lab.create_room()
    add(lab, room, 1, "fast")
    with pytest.raises(RoomProblem, match="one drawing a second"):
        add(lab, room, 2, "fast")
    add(lab, room, 2, "another")  # someone else is not held up
    monkeypatch.setattr(store, "MAX_DRAWINGS", 3)
    add(lab, room, 3, "third")
    with pytest.raises(RoomProblem, match="full"):
        add(lab, room, 4, "fourth")
    assert lab.count(room.code) == 3


def test_a_downloaded_set_round_trips(lab):
    room = lab.create_room()
    for label in range(10):
        add(lab, room, label, f"s{label}")
    drawings = lab.drawings(room.code)
    with np.load(io.BytesIO(room_drawings.as_npz(drawings)), allow_pickle=False) as saved:
        np.testing.assert_array_equal(saved["x_train"], drawings.images)
        np.testing.assert_array_equal(saved["y_train"], drawings.labels)
        assert saved["x_test"].shape == (0, 28, 28)
    table = np.loadtxt(io.StringIO(room_drawings.as_csv(drawings)), delimiter=",", skiprows=1, dtype=int)
    np.testing.assert_array_equal(table[:, 0], drawings.labels)
    np.testing.assert_array_equal(table[:, 1:].reshape(-1, 28, 28), drawings.images)


def test_an_unreachable_database_says_so():
    with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
        Lab("postgresql+psycopg://lab:lab@127.0.0.1:9/lab?connect_timeout=2")


def test_a_read_only_database_still_shows_its_drawings_and_says_it_is_read_only(tmp_path):
    path = tmp_path / "lab.sqlite"
    writable = Lab(f"sqlite:///{path}")
    room = writable.create_room()
    add(writable, room, 5, "a")
    writable.engine.dispose()
    read_only = Lab(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert read_only.drawings(room.code).labels.tolist() == [5]
    with pytest.raises(DatabaseUnavailable, match="read-only"):
        add(read_only, room, 6, "b")


def first_version_schema():
    """The tables as the lab's first version made them (commit 423eef7), written out here so that
    the test does not depend on the migrations it checks."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    sa.Table(
        "rooms",
        metadata,
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("teacher_key_sha256", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "drawings",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room", sa.String(6), sa.ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False, index=True),
        *(
            sa.Column(name, kind, nullable=False)
            for name, kind in (
                ("label", sa.SmallInteger),
                ("predicted", sa.SmallInteger),
                ("confidence", sa.Float),
                ("network", sa.String(80)),
                ("image", sa.LargeBinary),
                ("straight", sa.LargeBinary),
                ("created", sa.DateTime(timezone=True)),
            )
        ),
        sa.CheckConstraint("label BETWEEN 0 AND 9", name="label_is_a_digit"),
    )
    return metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite'}"
    return request.getfixturevalue("database")  # tests/conftest.py: a schema of this test's own


def test_a_database_in_the_first_versions_schema_is_upgraded_with_nothing_lost(empty_database):
    import sqlalchemy as sa

    from core.db import schema

    engine = sa.create_engine(empty_database)
    old = first_version_schema()
    old.create_all(engine)
    made = datetime(2026, 9, 1, tzinfo=timezone.utc)
    with engine.begin() as connection:
        connection.execute(
            old.tables["rooms"].insert().values(code="K7QM3X", teacher_key_sha256="0" * 64, created=made)
        )
        connection.execute(
            old.tables["drawings"]
            .insert()
            .values(
                room="K7QM3X",
                label=7,
                predicted=1,
                confidence=0.5,
                network="net",
                image=picture(70).tobytes(),
                straight=picture(185).tobytes(),
                created=made,
            )
        )
    engine.dispose()
    lab = Lab(empty_database)
    kept = lab.drawings("K7QM3X")
    assert kept.labels.tolist() == [7] and (kept.images[0] == 70).all() and (kept.straight[0] == 185).all()
    lab.set_network("K7QM3X", "room-net")  # the columns added since are there, and work
    assert lab.network_of("K7QM3X") == "room-net"
    add(lab, Room("K7QM3X", ""), 3, "a")
    assert lab.count("K7QM3X") == 2 and lab.expire(now=made + timedelta(days=1)) == []
    with lab.engine.connect() as connection:
        assert schema.current(connection) == schema.head()
    assert Lab(empty_database).count("K7QM3X") == 2  # the next start finds it up to date and changes nothing


def test_a_new_database_gets_every_revision_and_matches_the_tables_the_queries_use(empty_database):
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from core.db import schema

    lab = Lab(empty_database)
    with lab.engine.connect() as connection:
        assert schema.current(connection) == schema.head()
        # procrastinate's tables are its schema's, applied by revision 0005 on PostgreSQL
        # SQLite does not hold text to its declared length, so revision 0008 widens room codes on
        # PostgreSQL only (its docstring says why): on SQLite a length alone is no difference.
        sqlite = connection.dialect.name == "sqlite"

        def same_but_length(_, __, ___, found, declared):
            both_text = isinstance(found, sa.String) and isinstance(declared, sa.String)
            return False if sqlite and both_text else None

        ours = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _: kind != "table" or not name.startswith("procrastinate"),
                "compare_type": same_but_length,
            },
        )
        differences = compare_metadata(ours, schema.METADATA)
    assert differences == []  # the revisions make exactly the tables core/db/schema.py declares
    assert sa.inspect(lab.engine).has_table("alembic_version")


def test_a_change_the_database_refuses_says_what_failed(lab):
    room = lab.create_room()
    with pytest.raises(RoomProblem, match="room was deleted a moment ago"):
        lab.transaction(
            lambda c: c.execute(
                store.DRAWINGS.insert().values(
                    room="ZZZZZZ",
                    label=1,
                    predicted=1,
                    confidence=0.5,
                    network="n",
                    image=b"",
                    straight=b"",
                    created=datetime.now(timezone.utc),
                )
            ),
            refused="this room was deleted a moment ago, so the drawing has no room to go to",
        )
    with pytest.raises(RoomProblem, match="refused this change"):  # one nobody planned for: general words
        lab.transaction(
            lambda c: c.execute(
                store.ROOMS.insert().values(
                    code=room.code, teacher_key_sha256="0" * 64, created=datetime.now(timezone.utc)
                )
            )
        )


def test_a_room_refuses_additions_faster_than_a_class_makes_them_from_however_many_sessions(lab):
    room = lab.create_room()
    now = [0.0]
    lab.paces.clock = lambda: now[0]  # time stands still while this runs, so the count is exact
    burst, per_second = lab.paces.room_pace
    refused = []
    for number in range(burst + 10):  # every addition from a session of its own, all at once
        try:
            add(lab, room, number % 10, f"forged-{number}")
        except RoomProblem as error:
            refused.append(str(error))
    assert lab.count(room.code) == burst and len(refused) == 10
    assert "faster than a class draws" in refused[0]
    now[0] += 3 / per_second  # the room's allowance grows again with time
    for number in range(2):
        add(lab, room, 1, f"later-{number}")
    other = lab.create_room()  # another room is not slowed by it
    add(lab, other, 1, "someone")


def test_a_browser_session_makes_at_most_five_rooms_and_the_server_a_few_hundred_a_day(lab, monkeypatch):
    from core.lab import store

    for _ in range(limits.MAX_ROOMS_PER_SESSION):
        lab.create_room("one-visitor")
    with pytest.raises(RoomProblem, match="at most 5 rooms"):
        lab.create_room("one-visitor")
    lab.create_room("another-visitor")
    made_today = lab.count_rooms_since(datetime.now(timezone.utc) - timedelta(days=1))
    monkeypatch.setattr(store, "MAX_ROOMS_PER_DAY", made_today)
    with pytest.raises(RoomProblem, match="rooms today"):
        lab.create_room("a-third-visitor")


def test_rooms_unused_for_thirty_days_are_deleted_with_their_drawings_and_networks_named(lab):
    import sqlalchemy as sa

    from core.db.schema import NETWORK_FILES
    from core.lab.store import DRAWINGS, ROOMS

    old, recent, fresh = lab.create_room(), lab.create_room(), lab.create_room()
    add(lab, old, 1, "a")
    add(lab, recent, 2, "b")
    lab.set_network(old.code, "room-old-network")
    kept = f"room-{recent.code}-network"  # a PostgreSQL database outlives a run: a name of this run's own
    lab.set_network(recent.code, kept)
    now = datetime.now(timezone.utc)
    with lab.engine.begin() as connection:
        # both networks, as a worker stores them for several servers (core/digits/shared.py)
        connection.execute(
            NETWORK_FILES.insert(),
            [
                dict(key=key, name=f"{key}.json", sha256="0" * 64, data=b"{}", saved=now)
                for key in ("room-old-network", kept)
            ],
        )
        connection.execute(
            ROOMS.update()
            .where(ROOMS.c.code == old.code)
            .values(created=now - timedelta(days=90), used=now - timedelta(days=31))
        )
        connection.execute(
            ROOMS.update()
            .where(ROOMS.c.code == recent.code)
            .values(created=now - timedelta(days=90), used=now - timedelta(days=29))
        )
    assert lab.expire() == ["room-old-network"]
    assert not lab.exists(old.code) and lab.exists(recent.code) and lab.exists(fresh.code)
    with lab.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).where(DRAWINGS.c.room == old.code)).scalar() == 0
        stored = connection.execute(sa.select(NETWORK_FILES.c.key)).scalars().all()
        assert kept in stored and "room-old-network" not in stored
    assert lab.count(recent.code) == 1


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_sqlite_file_deleted_or_replaced_under_the_server_stops_acknowledging(tmp_path, how):
    path = tmp_path / "lab.sqlite"
    lab = Lab(f"sqlite:///{path}")
    room = lab.create_room()
    add(lab, room, 1, "a")
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"lab.sqlite{suffix}").unlink(missing_ok=True)
    if how == "replaced":
        Lab(f"sqlite:///{path}").create_room()  # another, empty database at the same path
    with pytest.raises(DatabaseUnavailable, match="moved, deleted or replaced"):
        add(lab, room, 2, "b")
    with pytest.raises(DatabaseUnavailable):
        lab.count(room.code)


def test_the_privacy_note_names_every_column_kept_of_a_drawing(open_page):
    from core.db import schema

    assert set(schema.KEPT_PER_DRAWING) == {column.name for column in schema.DRAWINGS.columns} - {"id"}
    app = open_page("lessons/class_lab.py")
    [note] = [caption.value for caption in app.caption if "Stored for each drawing" in caption.value]
    assert all(phrase in note for phrase in schema.KEPT_PER_DRAWING.values())
