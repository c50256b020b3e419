"""Guessing room codes: codes that name no room are paced per browser session and per address, a
class sharing one address still joins at once, and at the pace allowed a guess is hopeless."""

import itertools

import pytest

from core.lab import joins, store
from core.lab.joins import JoinGuard
from core.lab.store import RoomProblem


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def lab(tmp_path):
    return store.Lab(f"sqlite:///{tmp_path / 'lab.sqlite'}")


def unused_codes(lab):
    return (code for code in ("".join(chars) for chars in itertools.product("ABC", repeat=8)) if not lab.exists(code))


def test_a_session_that_keeps_missing_waits_a_minute(lab):
    clock = Clock()
    guard, codes = JoinGuard(clock), unused_codes(lab)
    for _ in range(joins.FAILS_PER_SESSION):
        assert guard.look_up(lab, next(codes), "script", None) is False
    room = lab.create_room()
    with pytest.raises(RoomProblem, match="wait 60 s"):
        guard.look_up(lab, room.code, "script", None)  # even the right code waits: no hit can be told apart
    clock.now += joins.WINDOW_SECONDS + 1
    assert guard.look_up(lab, room.code, "script", None) is True


def test_an_address_is_paced_across_the_sessions_it_opens(lab):
    guard, codes = JoinGuard(Clock()), unused_codes(lab)
    for session in range(joins.FAILS_PER_ADDRESS):
        guard.look_up(lab, next(codes), f"session-{session}", "203.0.113.9")
    with pytest.raises(RoomProblem, match="too many room codes"):
        guard.look_up(lab, next(codes), "a-fresh-session", "203.0.113.9")
    assert guard.look_up(lab, next(codes), "a-fresh-session", "198.51.100.4") is False  # another school is not held


def test_a_class_on_one_address_joins_at_once_even_with_a_typo_on_every_device(lab):
    guard, codes = JoinGuard(Clock()), unused_codes(lab)
    room = lab.create_room()
    for device in range(30):
        assert guard.look_up(lab, next(codes), f"phone-{device}", "203.0.113.9") is False  # a typo each
        assert guard.look_up(lab, room.code, f"phone-{device}", "203.0.113.9") is True


def test_at_the_pace_allowed_finding_any_live_room_takes_years():
    live_rooms = store.MAX_ROOMS_PER_DAY * store.UNUSED_DAYS
    chance = live_rooms / len(store.CODE_ALPHABET) ** 8  # one guess naming one of them
    guesses_a_day = joins.FAILS_PER_ADDRESS * 60 * 24
    assert joins.days_to_guess() == pytest.approx(1 / chance / guesses_a_day)
    assert joins.days_to_guess() > 3 * 365


def test_new_rooms_have_eight_character_codes_and_old_six_character_ones_still_open(lab):
    code = lab.create_room().code
    assert len(code) == 8 and store.valid_code(code) and store.as_code(f" {code[:4].lower()}-{code[4:]} ") == code
    assert store.valid_code("K7QM3X") and not store.valid_code("K7QM3XP")


def test_the_guard_forgets_the_oldest_when_it_holds_too_many(monkeypatch):
    monkeypatch.setattr(joins, "KEPT_AT_MOST", 10)
    guard = JoinGuard(Clock())
    for session in range(50):
        guard.failed(f"session-{session}", None)
    assert len(guard._failures) == 10 and ("session", "session-49") in guard._failures
