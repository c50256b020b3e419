"""The class lab's paces, kept in this server's memory: how fast one browser session and one room
take drawings, and how many rooms one session makes. (Limits that must hold across servers, the
rooms made in a day and the devices joining a room, are counted in the database.)

`clock` is time.monotonic unless a test gives its own, so that a test of a pace never sleeps.
Written here: a token bucket is a few lines, and no dependency of the app keeps one.
"""

import threading
import time

from core.i18n import N_
from core.lab.errors import RoomProblem

MIN_SECONDS_BETWEEN_ADDITIONS = 1.0  # per browser session
ROOM_ADDITIONS_BURST, ROOM_ADDITIONS_PER_SECOND = 60, 6.0  # per room: 30 students drawing one every 5 s fit
MAX_ROOMS_PER_SESSION = 5  # rooms one browser session may make


class Paces:
    """Thread-safe. `room_pace`: (burst, additions a second) one room accepts; None for no such
    limit (the storage benchmark, which adds as fast as the database takes it)."""

    def __init__(self, room_pace=(ROOM_ADDITIONS_BURST, ROOM_ADDITIONS_PER_SECOND), clock=time.monotonic):
        self.room_pace, self.clock = room_pace, clock
        self._last_addition = {}  # browser session → time of its last addition
        self._room_allowance = {}  # room → (additions it may still make at once, when that was counted)
        self._rooms_made = {}  # browser session → rooms it made
        self._lock = threading.Lock()

    def may_make_room(self, session):
        """Refuse a session that has made MAX_ROOMS_PER_SESSION rooms (None: the server's own code)."""
        with self._lock:
            if session is not None and self._rooms_made.get(session, 0) >= MAX_ROOMS_PER_SESSION:
                raise RoomProblem(
                    N_("one visitor can make at most {count} rooms: use one you made"), count=MAX_ROOMS_PER_SESSION
                )

    def room_made(self, session):
        with self._lock:
            self._rooms_made[session] = self._rooms_made.get(session, 0) + 1

    def addition(self, session, code):
        """Refuse a second addition from the same browser session within a second, and more
        additions to one room than a class makes (a bucket of ROOM_ADDITIONS_BURST, refilled at
        ROOM_ADDITIONS_PER_SECOND), however many sessions send them; else count this one."""
        with self._lock:
            now = self.clock()
            last = self._last_addition.get(session)
            if last is not None and now - last < MIN_SECONDS_BETWEEN_ADDITIONS:
                raise RoomProblem(N_("one drawing a second, please: wait a moment and add it again"))
            if self.room_pace:
                burst, per_second = self.room_pace
                allowance, counted = self._room_allowance.get(code, (burst, now))
                allowance = min(burst, allowance + (now - counted) * per_second)
                if allowance < 1:
                    raise RoomProblem(
                        N_(
                            "this room is getting drawings faster than a class draws them: wait a few "
                            "seconds and add it again"
                        )
                    )
                self._room_allowance[code] = (allowance - 1, now)
            self._last_addition[session] = now
