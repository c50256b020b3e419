"""The class lab's tables, and bringing any database up to them.

The tables here are what the queries in core/lab/store.py use. How a database gets them is
Alembic's: each change is a revision in core/db/migrations/versions/, and `upgrade(engine)` runs
the ones a database lacks, on every start, on SQLite and PostgreSQL alike. A database made before
the lab kept a version (it has the tables but no `alembic_version`) is first stamped with the
revision its columns show, so nothing in it is touched or lost. To change the schema: change the
table below, then add a revision (docs/code-map.md says how).
"""

import logging
from pathlib import Path

import sqlalchemy as sa

from core.i18n import N_, _

CODE_LENGTH = 8  # new rooms' codes (core/lab/store.py says why 8); rooms made before revision 0008 keep 6
LINK_LENGTH = 2000  # a lesson's path and its settings, as the teacher's page writes them
TEXT_LENGTH = 400  # a poll's question, or one of its answers
MIGRATIONS = Path(__file__).with_name("migrations")
LOG = logging.getLogger(__name__)

METADATA = sa.MetaData()
ROOMS = sa.Table(
    "rooms",
    METADATA,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("teacher_key_sha256", sa.String(64), nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("network", sa.String(80)),  # the key of the network taught this room's handwriting, if any
    sa.Column("used", sa.DateTime(timezone=True)),  # its last drawing added (empty: none since it was made)
    sa.Column("lesson", sa.String(LINK_LENGTH)),  # the lesson the teacher is on, as a link path (empty: none yet)
    sa.Column("locked", sa.DateTime(timezone=True)),  # when the teacher locked it: no new device takes part (0008)
)
DRAWINGS = sa.Table(
    "drawings",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "room", sa.String(CODE_LENGTH), sa.ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("label", sa.SmallInteger, nullable=False),  # the digit the student meant
    sa.Column("predicted", sa.SmallInteger, nullable=False),  # what the network read
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("network", sa.String(80), nullable=False),  # the network's key
    sa.Column("image", sa.LargeBinary, nullable=False),  # 784 bytes: the MNIST-style image, 0–255
    sa.Column("straight", sa.LargeBinary, nullable=False),  # 784 bytes: the drawing resized straight
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("label BETWEEN 0 AND 9", name="label_is_a_digit"),
)
# What the page's privacy note says is kept of each drawing, one phrase per column of DRAWINGS but
# its row number (tests/test_lab_store.py holds the two together).
KEPT_PER_DRAWING = {  # English, marked to be said in the reader's language (core/i18n.py)
    "room": N_("the room's code"),
    "image": N_("the 28 × 28 picture the network read"),
    "straight": N_("the same drawing resized straight to 28 × 28"),
    "label": N_("the digit meant"),
    "predicted": N_("what the network read"),
    "confidence": N_("how sure it was"),
    "network": N_("which network read it"),
    "created": N_("the time"),
}


def privacy_note():
    """The class lab's promise, in one sentence per kind of thing, from KEPT_PER_DRAWING."""
    kept = [_(thing) for thing in KEPT_PER_DRAWING.values()]
    return _(
        "Stored for each drawing: {things} and {last}. So that a device counts once in a room, your browser keeps "
        "a random token the server signed (in its local storage, from a room's page only); the room stores its "
        "hash. No names, no addresses, no cookies."
    ).format(things=", ".join(kept[:-1]), last=kept[-1])


POLLS = sa.Table(
    "polls",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "room", sa.String(CODE_LENGTH), sa.ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("lesson", sa.String(40), nullable=False),  # the lesson's url path
    sa.Column("question", sa.String(40), nullable=False),  # the Question's name on that lesson
    sa.Column("settings", sa.String(64), nullable=False),  # a fingerprint of the settings it was asked for
    sa.Column("text", sa.String(TEXT_LENGTH), nullable=False),  # the question as the class read it
    sa.Column("choices", sa.JSON, nullable=False),  # the answers offered, in order
    sa.Column("answer", sa.String(TEXT_LENGTH), nullable=False),  # the right one (shown after the reveal)
    sa.Column("opened", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revealed", sa.DateTime(timezone=True)),  # empty: answers are still taken
    sa.Column("closed", sa.DateTime(timezone=True)),  # empty: the room's current poll (one at most)
)
ANSWERS = sa.Table(
    "answers",
    METADATA,
    sa.Column("poll", sa.Integer, sa.ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("voter", sa.String(64), primary_key=True),  # the device that answered (devices.device)
    sa.Column("choice", sa.SmallInteger, nullable=False),  # the index of the answer in the poll's choices
    sa.Column("answered", sa.DateTime(timezone=True), nullable=False),
)

# The devices taking part in a room (core/lab/devices.py): one row per device, so that a poll counts
# each once, a locked room knows who was in, and new devices come no faster than a class arrives.
DEVICES = sa.Table(
    "devices",
    METADATA,
    sa.Column("room", sa.String(CODE_LENGTH), sa.ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("device", sa.String(64), primary_key=True),  # sha256 of the token the device's browser keeps
    sa.Column("joined", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_devices_joined", "room", "joined"),
)
# Secrets every server sharing the database must agree on: the key that signs device tokens.
SERVER_SECRETS = sa.Table(
    "server_secrets",
    METADATA,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(128), nullable=False),
)

# Background work when the database is PostgreSQL (core/jobs/queued.py): each job's record, read by
# every app server. procrastinate's own tables, which queue the jobs for the workers, are its
# schema's (revision 0005), not declared here; they know each queued task's status, offers and
# worker. This record keeps only what they do not: the job's own outcome (procrastinate's task,
# which follows the job, ends well even when the training in it failed or nobody waited for it),
# its progress, its result, who asked for it and when it was last asked about.
JOBS = sa.Table(
    "jobs",
    METADATA,
    sa.Column("key", sa.String(80), primary_key=True),  # one job per key, whichever server asked
    sa.Column("token", sa.String(32), nullable=False),  # this request's: a stale worker's reports are ignored
    sa.Column("body", sa.String(200), nullable=False),  # the job body, as module:function
    sa.Column("arguments", sa.LargeBinary, nullable=False),  # its keyword arguments, as JSON (core/jobs/queued.py)
    sa.Column("state", sa.String(12), nullable=False),  # queued, running, done, failed or cancelled
    sa.Column("phase", sa.String(80), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("steps", sa.Integer, nullable=False),
    sa.Column("history", sa.JSON, nullable=False),
    sa.Column("error", sa.String(TEXT_LENGTH), nullable=False),
    sa.Column("result", sa.JSON),  # done: what the body returned
    # how many workers have started it (procrastinate's own `attempts` also counts the offers a
    # worker refused, core/jobs/worker.py: a job is run again once after its worker died, not after refusals)
    sa.Column("attempts", sa.SmallInteger, nullable=False),
    sa.Column("queue_id", sa.BigInteger),  # its job in procrastinate's queue, which knows its worker (revision 0009)
    sa.Column("submitted", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started", sa.DateTime(timezone=True)),
    sa.Column("ended", sa.DateTime(timezone=True)),
    sa.Column("seen", sa.DateTime(timezone=True), nullable=False),  # last asked about: nobody asking cancels it
    sa.Column("reported", sa.DateTime(timezone=True)),  # last written by the worker running it (revision 0007)
)
JOB_OWNERS = sa.Table(
    "job_owners",
    METADATA,
    sa.Column("owner", sa.String(64), primary_key=True),  # a session: one job waiting at most
    sa.Column("key", sa.String(80), nullable=False),
)

# Trained networks, when several servers share a PostgreSQL (core/digits/shared.py): each file of
# each network a worker saved, copied from here into a server's own model folder on first use.
NETWORK_FILES = sa.Table(
    "network_files",
    METADATA,
    sa.Column("key", sa.String(80), primary_key=True),  # the network's key
    sa.Column("name", sa.String(200), primary_key=True),  # the file's name in a model folder
    sa.Column("sha256", sa.String(64), nullable=False),  # of `data`: a copy that does not match is refused
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
)

# A database from before Alembic: the newest revision whose columns it has (newest first).
UNVERSIONED = (("0003", "used"), ("0002", "network"), ("0001", "code"))
UPGRADE_LOCK = 7_342_001  # PostgreSQL advisory lock: one server at a time upgrades a shared database


def _alembic(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _version_of_unversioned(connection):
    """The revision an unversioned database is at, from its rooms table's columns; None when it has none."""
    inspector = sa.inspect(connection)
    if not inspector.has_table("rooms"):
        return None
    columns = {column["name"] for column in inspector.get_columns("rooms")}
    return next(revision for revision, column in UNVERSIONED if column in columns)


def current(connection):
    """The revision a database is at (None: empty, or from before Alembic)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head():
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def upgrade(engine):
    """Bring the database up to the newest revision, in one transaction, one server at a time."""
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": UPGRADE_LOCK})
        at = current(connection)
        if at == head():
            return
        config = _alembic(connection)
        if at is None and (found := _version_of_unversioned(connection)) is not None:
            LOG.info("class lab database from before schema versions: it is at revision %s", found)
            command.stamp(config, found)
        command.upgrade(config, "head")
