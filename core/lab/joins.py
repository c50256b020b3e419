"""Pacing room-code guesses. A code that names no room is a failed join; a browser session and an
address that fail too often in a minute wait, before any further room is looked up for them.

Why codes of 8 characters, at this pace (the arithmetic, as `days_to_guess` computes it):
store.CODE_ALPHABET has 31 characters, so there are 31**8 = 8.5e11 codes. At most
MAX_ROOMS_PER_DAY × UNUSED_DAYS = 9,000 rooms are alive at once, so a guess names one with a
chance of 1 in 9.5e7. One address fails at most FAILS_PER_ADDRESS = 60 times a minute, 86,400 a
day: it needs about 1,100 days, three years, on average to find any room (6-character codes, unpaced,
took under an hour at the 28–58 guesses a second one script made). A school's devices usually share one
address: only failures count, so a class joining with the right code is never held, and even a
typo on each of 30 devices, or two on some, fits in one minute's allowance.

Counted in each server's memory: with several servers, a script without the balancer's cookie
spreads its guesses over them, so the pace is this times the number of servers (still years).
Written here: nothing in the standard library or the app's dependencies counts events in a window.
"""

import collections
import threading
import time

from core.db.schema import CODE_LENGTH
from core.i18n import N_
from core.lab.store import CODE_ALPHABET, MAX_ROOMS_PER_DAY, UNUSED_DAYS, RoomProblem

WINDOW_SECONDS = 60.0
FAILS_PER_SESSION = 5  # a person mistyping; then a minute's wait
FAILS_PER_ADDRESS = 60  # a school's address: a typo on each of a class's devices fits, with room to spare
KEPT_AT_MOST = 10_000  # sessions and addresses remembered; the oldest quiet ones are forgotten first


def days_to_guess(fails_per_minute=FAILS_PER_ADDRESS):
    """On average, how many days a guesser at this pace needs to name any live room."""
    codes = len(CODE_ALPHABET) ** CODE_LENGTH
    live_rooms = MAX_ROOMS_PER_DAY * UNUSED_DAYS
    return codes / live_rooms / (fails_per_minute * 60 * 24)


class JoinGuard:
    """Failed joins of the last WINDOW_SECONDS, by browser session and by address. Thread-safe."""

    def __init__(self, clock=time.monotonic):
        self._clock, self._lock = clock, threading.Lock()
        self._failures = collections.OrderedDict()  # ("session" or "address", value) → deque of times

    def _recent(self, key, now):
        times = self._failures.get(key)
        while times and now - times[0] > WINDOW_SECONDS:
            times.popleft()
        return times or ()

    def check(self, session, address):
        """Raise RoomProblem, in words, when this session or address must wait before trying a code."""
        now = self._clock()
        with self._lock:
            for key, most in ((("session", session), FAILS_PER_SESSION), (("address", address), FAILS_PER_ADDRESS)):
                recent = self._recent(key, now)
                if key[1] is not None and len(recent) >= most:
                    wait = max(1, round(WINDOW_SECONDS - (now - recent[0])))
                    raise RoomProblem(
                        N_(
                            "too many room codes that name no room were tried from here: wait {wait} s "
                            "and check the code on the projector"
                        ),
                        wait=wait,
                    )

    def failed(self, session, address):
        """Count one code that named no room."""
        now = self._clock()
        with self._lock:
            for key in (("session", session), ("address", address)):
                if key[1] is None:
                    continue
                self._failures.setdefault(key, collections.deque()).append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > KEPT_AT_MOST:
                self._failures.popitem(last=False)

    def look_up(self, lab, code, session, address):
        """Whether the room exists, counting a miss; raises RoomProblem when they must wait first."""
        self.check(session, address)
        found = lab.exists(code)
        if not found:
            self.failed(session, address)
        return found
