"""A room's devices, on SQLite and PostgreSQL, against a script that fills a poll: forged tokens
are refused, a reload is the same device, new devices come no faster than a class, a locked room
takes no new device, and no device that joined before the lock is ever shut out."""

import threading

import pytest

from core.lab import devices as device_store
from core.lab import store
from core.lab.devices import Devices, device_of
from core.lab.polls import Polls
from core.lab.store import Lab, RoomProblem

CHOICES = ("it settles", "it diverges")


@pytest.fixture(autouse=True)
def rooms_without_a_daily_cap(monkeypatch):
    monkeypatch.setattr(store, "MAX_ROOMS_PER_DAY", 10**6)


def poll_in(lab):
    room = lab.create_room()
    polls = Polls(lab)
    return (
        room,
        polls,
        polls.open(room.code, room.teacher_key, "descent", "marble", (0.5,), "Will it settle?", CHOICES, "it diverges"),
    )


def test_a_token_is_only_valid_as_issued_and_only_its_hash_is_kept(lab):
    devices = Devices(lab)
    token = devices.issue()
    nonce, signature = token.split(".")
    assert devices.genuine(token)
    forged = [
        f"{nonce}.{'0' * len(signature)}",
        f"{'f' * len(nonce)}.{signature}",
        nonce,
        "",
        None,
        7,
        token + "0",
        "a.b",
        token.replace(".", ".."),
        "x" * 5000,
    ]
    assert not any(devices.genuine(value) for value in forged)
    room = lab.create_room()
    for value in forged:
        with pytest.raises(RoomProblem, match="not one this app made"):
            devices.join(room.code, value)
    assert devices.join(room.code, token) is True and devices.count(room.code) == 1
    with lab.engine.connect() as connection:
        kept = (
            connection.exec_driver_sql("SELECT device FROM devices WHERE room = %s" % repr(room.code)).scalars().all()
        )
    assert kept == [device_of(token)] and token not in kept[0]


def test_every_server_sharing_the_database_accepts_the_others_tokens(lab, monkeypatch):
    token = Devices(lab).issue()
    monkeypatch.setattr(device_store, "_SECRETS", {})  # a second server: nothing read yet
    assert Devices(Lab(lab.url)).genuine(token)


def test_a_reload_is_the_same_device_and_its_answer_is_replaced(lab):
    room, polls, poll_id = poll_in(lab)
    token = Devices(lab).issue()
    polls.answer(room.code, poll_id, token, 0)
    polls.answer(room.code, poll_id, token, 1)  # the same token, read back from the browser after a reload
    assert polls.counts(polls.current(room.code)) == [0, 1] and Devices(lab).count(room.code) == 1


def test_a_locked_room_takes_no_new_device_but_every_device_in_it_answers(lab, monkeypatch):
    room, polls, poll_id = poll_in(lab)
    devices = Devices(lab)
    inside = [devices.issue() for _ in range(3)]
    for token in inside:
        devices.join(room.code, token)
    devices.lock(room.code, room.teacher_key)
    assert devices.locked(room.code)
    newcomer = devices.issue()
    with pytest.raises(RoomProblem, match="locked"):
        devices.join(room.code, newcomer)
    with pytest.raises(RoomProblem, match="locked"):
        polls.answer(room.code, poll_id, newcomer, 0)
    for token in inside:
        polls.answer(room.code, poll_id, token, 1)
    assert polls.counts(polls.current(room.code)) == [0, 3]
    devices.lock(room.code, room.teacher_key, locked=False)  # the teacher lets a late student in
    polls.answer(room.code, poll_id, newcomer, 0)
    assert polls.counts(polls.current(room.code)) == [1, 3] and devices.count(room.code) == 4


def test_only_the_teacher_locks_or_opens_a_room(lab):
    room = lab.create_room()
    other = lab.create_room()
    for key in (None, "", "guess", other.teacher_key):
        for locked in (True, False):
            with pytest.raises(RoomProblem, match="teacher"):
                Devices(lab).lock(room.code, key, locked)
    assert not Devices(lab).locked(room.code)


def test_new_devices_come_no_faster_than_a_class_arrives(lab, monkeypatch):
    """Sessions a script opens one after another: the first NEW_DEVICES_PER_MINUTE join, the rest are
    refused in words, and none of them is counted in the poll."""
    monkeypatch.setattr(device_store, "NEW_DEVICES_PER_MINUTE", 8)
    room, polls, poll_id = poll_in(lab)
    devices, refused = Devices(lab), []
    for _ in range(20):
        try:
            polls.answer(room.code, poll_id, devices.issue(), 1)
        except RoomProblem as error:
            refused.append(str(error))
    assert len(refused) == 12 and all("faster" in why or "than a class" in why for why in refused)
    assert polls.counts(polls.current(room.code)) == [0, 8] and devices.count(room.code) == 8


def test_a_full_room_never_shuts_out_a_device_that_joined(lab, monkeypatch):
    monkeypatch.setattr(device_store, "MAX_DEVICES", 5)
    room, polls, poll_id = poll_in(lab)
    devices = Devices(lab)
    inside = [devices.issue() for _ in range(5)]
    for token in inside:
        polls.answer(room.code, poll_id, token, 0)
    with pytest.raises(RoomProblem, match="5 devices"):
        polls.answer(room.code, poll_id, devices.issue(), 1)
    for token in inside:  # every device in the room changes its answer: all are taken
        polls.answer(room.code, poll_id, token, 1)
    assert polls.counts(polls.current(room.code)) == [0, 5]


def test_a_class_joining_at_once_loses_no_device(lab):
    room, polls, poll_id = poll_in(lab)
    devices = Devices(lab)
    tokens = [devices.issue() for _ in range(30)]
    start, failures = threading.Barrier(30), []

    def student(token):
        start.wait()
        try:
            devices.join(room.code, token)
            devices.join(room.code, token)  # a second tab of the same browser
            polls.answer(room.code, poll_id, token, 0)
        except Exception as error:  # noqa: BLE001 - any failure is a student shut out
            failures.append(repr(error))

    threads = [threading.Thread(target=student, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and devices.count(room.code) == 30
    assert polls.counts(polls.current(room.code)) == [30, 0]
