"""A live poll in Chromium: a teacher's projector and two students' phones in one room. The
students' devices follow the teacher to Gradient descent, the teacher asks the class, both
phones show the poll without a reload, both answer, the projector shows the two answers and
their split without a reload, and the reveal reaches the phones. Both views pass axe.
(How fast a change travels is bench/class_poll.py's business: a test only waits for it.)"""

import tempfile

import pytest

from core.lab import store
from harness.browser import STILL, settle, within
from harness.server import ARTIFACTS, running_app
from tests.browser.pages import serious_findings

# How long a page may take to show a change: a change usually shows within a second or two, but
# on a loaded two-core machine a fresh phone's first run has taken longer than 10 s. A check
# returns as soon as it holds, so a generous limit costs nothing when all is well.
PATIENCE = 30


@pytest.fixture(scope="module")
def room_server():
    """The app with a lab database of its own, and a room made in it."""
    url = f"sqlite:///{tempfile.mkdtemp(prefix='poll-lab-')}/lab.sqlite"
    made = store.Lab(url).create_room()
    with running_app(NN_EXPLORER_CACHE=tempfile.mkdtemp(prefix="poll-models-"), NN_EXPLORER_DB=url) as (server, _):
        yield server, made, url


def test_a_teacher_asks_two_phones_answer_and_the_projector_counts_them(browser, room_server):
    server, made, _ = room_server
    projector = browser.new_context(**STILL, viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(f"{server}/descent?room={made.code}&key={made.teacher_key}&classroom=true")
    settle(projector)
    assert "key=" not in projector.url  # the projector never shows the key
    phones = [
        browser.new_context(**STILL, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True).new_page()
        for _ in range(2)
    ]
    for phone in phones:
        phone.goto(f"{server}/?room={made.code}")  # the QR code's link opens the room on the start page
        assert within(PATIENCE, lambda: phone.locator("h1").first.inner_text().startswith("Gradient descent")), (
            "the phone did not follow the teacher to the lesson"
        )
        settle(phone)
    result = "at the bottom of its hollow, given enough steps"  # the lesson's own result, below the poll
    waiting = "Answer your class's poll at the top of the page"
    assert all(phone.get_by_text(result).count() == 1 for phone in phones)  # no poll yet: the result shows
    projector.get_by_role("button", name="Ask the class").click()
    settle(projector)
    for phone in phones:
        assert within(PATIENCE, lambda: phone.get_by_text("Your class's poll.").count() == 1) is not None
        # the whole page follows the poll, not only its box: the result it asks about is hidden
        assert (
            within(PATIENCE, lambda: phone.get_by_text(result).count() == 0 and phone.get_by_text(waiting).count() == 1)
            is not None
        ), "the phone still shows the result"
    phones[0].get_by_role("button", name="it settles", exact=True).tap()
    phones[1].get_by_role("button", name="it diverges", exact=True).tap()
    counted = within(
        PATIENCE, lambda: projector.get_by_text("2 answered: 1 said “it settles”; 1 said “it diverges”.").count() == 1
    )
    assert counted is not None, projector.locator("[data-testid=stMain]").inner_text()[:2000]
    assert serious_findings(projector) == {}
    assert serious_findings(phones[0]) == {}
    projector.get_by_text("Predict before you press.").evaluate("element => element.scrollIntoView({block: 'start'})")
    projector.screenshot(path=str(ARTIFACTS / "poll-projector.png"))
    phones[0].screenshot(path=str(ARTIFACTS / "poll-phone.png"), full_page=True)
    projector.get_by_role("button", name="Reveal the answer").click()
    settle(projector)
    assert (
        within(PATIENCE, lambda: projector.get_by_text("1 of 2 was right.").count() == 1) is not None
    )  # the reveal's rerun
    for phone in phones:
        assert within(PATIENCE, lambda: phone.get_by_text("The answer is it settles.").count() == 1) is not None
        assert (
            within(PATIENCE, lambda: phone.get_by_text(waiting).count() == 0 and phone.get_by_text(result).count() == 1)
            is not None
        ), "the lesson below the revealed poll still waits for the reveal"
    phones[0].screenshot(path=str(ARTIFACTS / "poll-phone-revealed.png"), full_page=True)
    for page in (projector, *phones):
        assert page.locator("[data-testid=stException]").count() == 0


def test_a_reloaded_phone_is_the_same_device_and_a_locked_room_takes_no_newcomer(browser, room_server):
    """The device's token lives in the browser's storage: a reload changes its answer, not the
    count. Once the teacher locks the room a new phone cannot answer, and the phone already in can."""
    server, _, url = room_server
    made = store.Lab(url).create_room()
    projector = browser.new_context(**STILL, viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(f"{server}/descent?room={made.code}&key={made.teacher_key}")
    settle(projector)
    projector.get_by_role("button", name="Ask the class").click()
    settle(projector)
    phone = browser.new_context(
        **STILL, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    ).new_page()
    phone.goto(f"{server}/descent?room={made.code}")
    settle(phone)
    assert within(PATIENCE, lambda: phone.get_by_text("Your class's poll.").count() == 1) is not None
    phone.get_by_role("button", name="it settles", exact=True).tap()
    assert (
        within(PATIENCE, lambda: phone.get_by_text("Your answer: “it settles”", exact=False).count() == 1) is not None
    )
    phone.reload()
    settle(phone)
    assert (
        within(PATIENCE, lambda: phone.get_by_text("Your answer: “it settles”", exact=False).count() == 1) is not None
    ), "after a reload the phone is a new device: its answer is not its own"
    phone.get_by_role("button", name="it diverges", exact=True).tap()
    counted = within(
        PATIENCE,
        lambda: (
            projector.get_by_text("1 answered: 1 said “it diverges”.").count() == 1
            and projector.get_by_text("1 of the 1 device in the room answered.").count() == 1
        ),
    )
    assert counted is not None, projector.locator("[data-testid=stMain]").inner_text()[:2000]
    projector.get_by_text(f"Room {made.code}: you lead").click()
    projector.get_by_role("button", name="Lock the room").click()
    settle(projector)
    assert projector.get_by_text("The room is locked", exact=False).count() == 1
    newcomer = browser.new_context(
        **STILL, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    ).new_page()
    newcomer.goto(f"{server}/descent?room={made.code}")
    settle(newcomer)
    assert (
        within(PATIENCE, lambda: newcomer.get_by_text("your teacher has locked this room", exact=False).count() >= 1)
        is not None
    ), newcomer.locator("[data-testid=stMain]").inner_text()[:2000]
    newcomer.get_by_role("button", name="it settles", exact=True).tap()
    phone.get_by_role("button", name="it settles", exact=True).tap()  # the phone already in still answers
    assert within(PATIENCE, lambda: projector.get_by_text("1 answered: 1 said “it settles”.").count() == 1) is not None
    for page in (projector, phone, newcomer):
        assert page.locator("[data-testid=stException]").count() == 0
