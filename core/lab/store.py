"""The class lab's storage: rooms and the drawings a class adds to them, in a real database.

This module holds every query, through SQLAlchemy 2 (Core). Which database, and how it is opened
(SQLite by default, PostgreSQL for several servers), is core/db/database.py; the tables are in
core/db/schema.py, and Alembic brings any database up to them on start.

What is stored per drawing is schema.KEPT_PER_DRAWING; of a device, only its token's hash
(core/lab/devices.py). No names, addresses or cookies.

A room has a short code anyone in the class may use, and a teacher key, shown once and kept only
as a SHA-256 hash (the key is 128 random bits, so a slow hash adds nothing), compared in constant
time. Only the key deletes drawings or clears a room.
"""

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import sqlalchemy as sa

from core.db import database
from core.db.database import DatabaseUnavailable, default_url  # noqa: F401 (part of this module's API)
from core.db.schema import CODE_LENGTH, DRAWINGS, NETWORK_FILES, ROOMS
from core.i18n import N_
from core.lab.drawings import SIDE, Drawings, pixel_bytes
from core.lab.errors import RoomProblem
from core.lab.limits import ROOM_ADDITIONS_BURST, ROOM_ADDITIONS_PER_SECOND, Paces

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L look-alikes
OLD_CODE_LENGTH = 6  # rooms made before revision 0008 keep their codes until they expire
MAX_DRAWINGS = 2000  # per room
MAX_ROOMS_PER_DAY = 300  # rooms made in the last 24 hours, by every server sharing the database
UNUSED_DAYS = 30  # a room with no new drawing for this long is deleted, with its drawings
VIEW_FRESH_SECONDS = 2.0  # a room's lab view is read from the database at most this often, whoever asks

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Room:
    code: str
    teacher_key: str  # shown once, never stored


def as_code(text):
    """A room code as a person may type it, read as meant: any case, with spaces or dashes
    (" k7qm-3xpa " is K7QM3XPA). Returns the text itself when it cannot be a code."""
    if not isinstance(text, str):
        return text
    tidy = "".join(text.split()).replace("-", "").upper()
    return tidy if valid_code(tidy) else text


def valid_code(code):
    """True if `code` could be a room code (checked before any query): CODE_LENGTH characters, or
    the 6 of a room made before revision 0008 (guessing those is paced as any, see core/lab/joins.py)."""
    return (
        isinstance(code, str)
        and len(code) in (CODE_LENGTH, OLD_CODE_LENGTH)
        and all(char in CODE_ALPHABET for char in code)
    )


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


class Lab:
    """Rooms and drawings in one database. Thread-safe: one engine, a connection per call."""

    def __init__(self, url=None, room_pace=(ROOM_ADDITIONS_BURST, ROOM_ADDITIONS_PER_SECOND), clock=time.monotonic):
        """`room_pace` and `clock`: core/lab/limits.py's Paces, kept per server."""
        self.url = url or default_url()
        self.paces = Paces(room_pace, clock)
        self.engine = database.connect(self.url)
        self._file = database.SqliteFile(self.url)

    def transaction(self, work, read_only=False, refused=None):
        """Run work(connection) in one transaction; database failures become DatabaseUnavailable. A
        change the database refuses (IntegrityError) is the RoomProblem `refused`: what this
        call's change can break. One nobody planned for is logged and said in general words."""
        self._file.check()
        try:
            with self.engine.connect().execution_options(read_only=read_only) as connection, connection.begin():
                return work(connection)
        except sa.exc.IntegrityError as error:
            if refused is None:
                LOG.error("class lab database refused a change: %s", getattr(error, "orig", error))
            raise RoomProblem(refused or N_("the database refused this change")) from error
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DatabaseError) as error:
            raise database.unavailable(error, self.url) from error

    def expire(self, now=None):
        """Delete the rooms without a new drawing for UNUSED_DAYS (their drawings, and their networks
        stored for several servers, go with them); return the keys of the networks taught to them,
        for the caller to delete from its model folder too."""
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=UNUSED_DAYS)
        unused = sa.func.coalesce(ROOMS.c.used, ROOMS.c.created) < cutoff

        def delete(connection):
            networks = connection.execute(sa.select(ROOMS.c.network).where(unused)).scalars().all()
            connection.execute(DRAWINGS.delete().where(DRAWINGS.c.room.in_(sa.select(ROOMS.c.code).where(unused))))
            connection.execute(ROOMS.delete().where(unused))
            connection.execute(NETWORK_FILES.delete().where(NETWORK_FILES.c.key.in_([n for n in networks if n])))
            return [network for network in networks if network]

        return self.transaction(delete)

    def count_rooms_since(self, moment):
        return self.transaction(
            lambda c: c.execute(sa.select(sa.func.count()).where(ROOMS.c.created > moment)).scalar(), read_only=True
        )

    def create_room(self, session=None):
        """Make a room with a fresh code and teacher key; return Room (the only time the key is seen).
        A browser session makes at most limits.MAX_ROOMS_PER_SESSION rooms, and all servers together
        at most MAX_ROOMS_PER_DAY a day; `session` None (the server's own code) counts only there."""
        self.paces.may_make_room(session)
        if self.count_rooms_since(datetime.now(timezone.utc) - timedelta(days=1)) >= MAX_ROOMS_PER_DAY:
            raise RoomProblem(
                N_(
                    "this server has made {count} rooms today, its most: please try again tomorrow, or use a room you made"
                ),
                count=MAX_ROOMS_PER_DAY,
            )
        key = secrets.token_urlsafe(16)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

            def insert(connection):
                if connection.execute(sa.select(ROOMS.c.code).where(ROOMS.c.code == code)).first():
                    return False
                connection.execute(
                    ROOMS.insert().values(
                        code=code, teacher_key_sha256=_digest(key), created=datetime.now(timezone.utc)
                    )
                )
                return True

            try:
                made = self.transaction(insert, refused=N_("that room code was taken a moment ago"))
            except RoomProblem:  # another server made a room with the same code meanwhile: try another
                made = False
            if made:
                self.paces.room_made(session)
                return Room(code, key)
        raise DatabaseUnavailable(N_("no free room code was found; please try again"))

    def exists(self, code):
        if not valid_code(code):
            return False
        return (
            self.transaction(
                lambda c: c.execute(sa.select(ROOMS.c.code).where(ROOMS.c.code == code)).first(), read_only=True
            )
            is not None
        )

    def is_teacher(self, code, teacher_key):
        """True only for the room's own teacher key (compared in constant time)."""
        if not valid_code(code) or not isinstance(teacher_key, str) or not teacher_key:
            return False
        stored = self.transaction(
            lambda c: c.execute(sa.select(ROOMS.c.teacher_key_sha256).where(ROOMS.c.code == code)).scalar(),
            read_only=True,
        )
        return stored is not None and hmac.compare_digest(stored, _digest(teacher_key))

    def require_teacher(self, code, teacher_key):
        """Raise RoomProblem unless `teacher_key` is the room's teacher key."""
        if not self.is_teacher(code, teacher_key):
            raise RoomProblem(N_("only the teacher's link can do this: the key in this link is not this room's"))

    def add(self, code, image, straight, label, predicted, confidence, network, session):
        """Store one drawing in a room; return its id. Raises RoomProblem for a bad room, label or
        pace, or a full room; DatabaseUnavailable when the database fails."""
        if not self.exists(code):
            raise RoomProblem(N_("there is no room with this code"))
        if not (isinstance(label, (int, np.integer)) and 0 <= int(label) <= 9):
            raise RoomProblem(N_("the digit you meant must be one of 0 to 9"))
        row = dict(
            room=code,
            label=int(label),
            predicted=int(predicted),
            confidence=float(confidence),
            network=str(network)[:80],
            image=pixel_bytes(image),
            straight=pixel_bytes(straight),
            created=datetime.now(timezone.utc),
        )
        self.paces.addition(session, code)

        def insert(connection):
            # lock the room's row (PostgreSQL; SQLite takes its one write lock), then count and insert
            connection.execute(sa.select(ROOMS.c.code).where(ROOMS.c.code == code).with_for_update())
            count = connection.execute(sa.select(sa.func.count()).where(DRAWINGS.c.room == code)).scalar()
            if count >= MAX_DRAWINGS:
                raise RoomProblem(
                    N_("this room is full: it holds {count} drawings, the most a room keeps"), count=f"{MAX_DRAWINGS:,}"
                )
            connection.execute(ROOMS.update().where(ROOMS.c.code == code).values(used=row["created"]))
            return connection.execute(DRAWINGS.insert().values(**row)).inserted_primary_key[0]

        return self.transaction(
            insert, refused=N_("this room was deleted a moment ago, so the drawing has no room to go to")
        )

    def drawings(self, code):
        """Return every drawing of a room (and only that room) as Drawings."""
        if not valid_code(code):
            raise RoomProblem(N_("this is not a room code"))
        rows = self.transaction(
            lambda c: c.execute(
                sa.select(DRAWINGS.c.id, DRAWINGS.c.label, DRAWINGS.c.image, DRAWINGS.c.straight)
                .where(DRAWINGS.c.room == code)
                .order_by(DRAWINGS.c.id)
            ).all(),
            read_only=True,
        )

        def pictures(index):
            return np.frombuffer(b"".join(row[index] for row in rows), dtype=np.uint8).reshape(-1, SIDE, SIDE)

        return Drawings(
            np.array([row[0] for row in rows], dtype=int),
            np.array([row[1] for row in rows], dtype=int),
            pictures(2),
            pictures(3),
        )

    def version(self, code):
        """A cheap fingerprint of a room's drawings (count and ids), changed by any addition or deletion."""
        return tuple(
            self.transaction(
                lambda c: c.execute(
                    sa.select(sa.func.count(), sa.func.max(DRAWINGS.c.id), sa.func.sum(DRAWINGS.c.id)).where(
                        DRAWINGS.c.room == code
                    )
                ).one(),
                read_only=True,
            )
        )

    def count(self, code):
        return self.transaction(
            lambda c: c.execute(sa.select(sa.func.count()).where(DRAWINGS.c.room == code)).scalar(), read_only=True
        )

    def network_of(self, code):
        """The key of the network fine-tuned for this room, or None: the room uses the default."""
        return self.transaction(
            lambda c: c.execute(sa.select(ROOMS.c.network).where(ROOMS.c.code == code)).scalar(), read_only=True
        )

    def set_network(self, code, network):
        """Make the room use a fine-tuned network (the fine-tuning the teacher's key started calls it)."""
        self.transaction(lambda c: c.execute(ROOMS.update().where(ROOMS.c.code == code).values(network=network)))

    def replace_key(self, code, teacher_key):
        """A new teacher key for the room (teacher only); return it. The old key then does nothing."""
        self.require_teacher(code, teacher_key)
        fresh = secrets.token_urlsafe(16)
        self.transaction(
            lambda c: c.execute(ROOMS.update().where(ROOMS.c.code == code).values(teacher_key_sha256=_digest(fresh)))
        )
        return fresh

    def delete(self, code, teacher_key, drawing_id):
        """Delete one drawing of the room (teacher only); return True if there was one."""
        self.require_teacher(code, teacher_key)
        return (
            self.transaction(
                lambda c: (
                    c.execute(
                        DRAWINGS.delete().where((DRAWINGS.c.room == code) & (DRAWINGS.c.id == int(drawing_id)))
                    ).rowcount
                )
            )
            == 1
        )

    def clear(self, code, teacher_key):
        """Delete every drawing of the room (teacher only); return how many."""
        self.require_teacher(code, teacher_key)
        return self.transaction(lambda c: c.execute(DRAWINGS.delete().where(DRAWINGS.c.room == code)).rowcount)
