"""The devices taking part in a room, so that one script cannot fill a poll.

The design (the README's "Devices and locked rooms" says it for teachers):

- A device is known by a token its browser keeps in local storage (ui/device.py writes it the
  first time a room's page opens, and reads it back on every visit, so a reload is the same
  device). The token is 128 random bits signed with a secret every server shares (HMAC-SHA256,
  the secret kept in the database), so a value a script makes up is refused, not counted as a
  new device. The database keeps only the token's SHA-256.
- A device joins a room when it first opens one of its pages (or first answers, where no browser
  reports a token). A poll counts one answer per device, the last it gave.
- New devices join a room no faster than NEW_DEVICES_PER_MINUTE (a class arriving together fits,
  a script opening sessions does not), and a room holds at most MAX_DEVICES.
- The teacher sees how many devices have joined and can lock the room once the class is in: no new
  device joins or answers after that, and every device that joined before can always answer (a
  poll takes one answer per device, and a room holds no more devices than a poll holds answers).

Standard library HMAC and secrets; written here because no library keeps a room's devices.
"""

import hashlib
import hmac
import secrets
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from core.db.schema import DEVICES, ROOMS, SERVER_SECRETS
from core.i18n import N_
from core.lab.store import RoomProblem, valid_code

MAX_DEVICES = 1000  # per room: a school's year fits; also the most answers a poll takes
NEW_DEVICES_PER_MINUTE = 60  # per room, counted over the last minute: two classes arriving at once fit
SECRET_NAME = "device_tokens"
NONCE_BYTES = 16  # 128 random bits: nobody guesses another device's token

_SECRETS, _SECRETS_LOCK = {}, threading.Lock()


def _now():
    return datetime.now(timezone.utc)


def device_of(token):
    """What is stored for a device's token: its SHA-256, never the token itself."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def _signature(secret, nonce):
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]


class Devices:
    """A room's devices, in the database of `lab` (a core.lab.store.Lab)."""

    def __init__(self, lab):
        self.lab = lab

    def _secret(self):
        """The signing secret every server sharing the database uses: made by the first that needs
        it, read by the rest (kept per process after the first read)."""
        with _SECRETS_LOCK:
            if self.lab.url in _SECRETS:
                return _SECRETS[self.lab.url]

        def read_or_make(connection):
            found = connection.execute(
                sa.select(SERVER_SECRETS.c.value).where(SERVER_SECRETS.c.name == SECRET_NAME)
            ).scalar()
            if found is None:
                found = secrets.token_hex(32)
                connection.execute(SERVER_SECRETS.insert().values(name=SECRET_NAME, value=found))
            return found

        try:
            secret = self.lab.transaction(read_or_make, refused=N_("another server made the secret a moment ago"))
        except RoomProblem:  # another server made it between our read and write: read theirs
            secret = self.lab.transaction(read_or_make)
        with _SECRETS_LOCK:
            return _SECRETS.setdefault(self.lab.url, secret)

    def issue(self):
        """A new device token: random, signed by this deployment."""
        nonce = secrets.token_hex(NONCE_BYTES)
        return f"{nonce}.{_signature(self._secret(), nonce)}"

    def genuine(self, token):
        """True only for a token this deployment issued (compared in constant time)."""
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 100:
            return False
        nonce, signature = token.split(".")
        return len(nonce) == 2 * NONCE_BYTES and hmac.compare_digest(signature, _signature(self._secret(), nonce))

    def join(self, code, token):
        """Let the device with `token` take part in the room (nothing changes if it already does).
        Refused in words for a forged token, a locked or full room, or too many new devices."""
        if not self.genuine(token):
            raise RoomProblem(N_("this device's room token is not one this app made: reload the page to get a new one"))
        device = device_of(token)

        def enter(connection):
            room = connection.execute(sa.select(ROOMS.c.locked).where(ROOMS.c.code == code).with_for_update()).first()
            if room is None:
                raise RoomProblem(N_("there is no room with this code"))
            if (
                connection.execute(
                    sa.select(DEVICES.c.device).where((DEVICES.c.room == code) & (DEVICES.c.device == device))
                ).first()
                is not None
            ):
                return False
            if room.locked is not None:
                raise RoomProblem(
                    N_("your teacher has locked this room, so no new device can join: ask them to let you in")
                )
            count = sa.select(sa.func.count()).where(DEVICES.c.room == code)
            if connection.execute(count).scalar() >= MAX_DEVICES:
                raise RoomProblem(
                    N_("this room has {count} devices, the most it takes: your teacher can make a new room"),
                    count=MAX_DEVICES,
                )
            recent = count.where(DEVICES.c.joined > _now() - timedelta(minutes=1))
            if connection.execute(recent).scalar() >= NEW_DEVICES_PER_MINUTE:
                raise RoomProblem(
                    N_("more devices are joining this room than a class brings: wait a minute and try again")
                )
            connection.execute(DEVICES.insert().values(room=code, device=device, joined=_now()))
            return True

        try:
            return self.lab.transaction(enter, refused=N_("this room was deleted a moment ago"))
        except RoomProblem:
            if self.joined(code, token):  # the same device joined from another tab a moment ago
                return False
            raise

    def joined(self, code, token):
        """True if the device with `token` takes part in the room."""
        return (
            valid_code(code)
            and self.lab.transaction(
                lambda c: c.execute(
                    sa.select(DEVICES.c.device).where((DEVICES.c.room == code) & (DEVICES.c.device == device_of(token)))
                ).first(),
                read_only=True,
            )
            is not None
        )

    def count(self, code):
        """How many devices take part in the room."""
        return self.lab.transaction(
            lambda c: c.execute(sa.select(sa.func.count()).where(DEVICES.c.room == code)).scalar(), read_only=True
        )

    def locked(self, code):
        """True once the teacher has locked the room."""
        return (
            self.lab.transaction(
                lambda c: c.execute(sa.select(ROOMS.c.locked).where(ROOMS.c.code == code)).scalar(), read_only=True
            )
            is not None
        )

    def lock(self, code, teacher_key, locked=True):
        """Lock the room (no new device joins or answers) or open it again (teacher only)."""
        self.lab.require_teacher(code, teacher_key)
        self.lab.transaction(
            lambda c: c.execute(ROOMS.update().where(ROOMS.c.code == code).values(locked=_now() if locked else None))
        )
