"""The app in a real browser: navigation, widgets, drawing on the canvas, uploads."""

import re

from playwright.sync_api import expect

from harness.browser import CANVAS, STROKES, choose, draw, settle
from harness.server import ARTIFACTS
from ui.lessons import LESSONS

# In the page: whether the playground's Epoch metric shows at least `epochs`.
EPOCHS_AT_LEAST = """epochs => [...document.querySelectorAll('[data-testid=stMetric]')].some(metric =>
  metric.innerText.startsWith('Epoch') && Number(metric.querySelector('[data-testid=stMetricValue]').innerText) >= epochs)"""


def metric_value(page, label):
    metric = page.locator("[data-testid=stMetric]", has_text=label).first
    return metric.locator("[data-testid=stMetricValue]").inner_text().strip()


def open_mnist(page, server):
    """Open the handwriting page and wait until its network is trained and the canvas is there."""
    page.goto(f"{server}/mnist")
    page.wait_for_selector(CANVAS, timeout=600_000)  # the first visit trains the default network
    settle(page)


def test_a_direct_link_on_a_fresh_server_opens_the_lesson_inside_the_app(page, server):
    page.goto(f"{server}/perceptron")  # runs first, while the server has served nothing yet
    settle(page)
    assert page.locator("h1").first.inner_text().startswith("The perceptron")
    links = page.locator("[data-testid=stSidebarNavLink]").all_inner_texts()
    assert any("Start here" in link for link in links) and not any(link.strip() == "app" for link in links)
    assert page.locator("[role=dialog]").count() == 0  # no "Page not found"
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0  # no developer's "Deploy" for learners


def test_every_page_opens_from_the_sidebar_without_an_exception(page, server):
    page.goto(server)
    settle(page)
    for lesson in [None, *LESSONS]:
        title = "Start here" if lesson is None else lesson.title
        page.locator("[data-testid=stSidebarNavLink]", has_text=title).click()
        page.wait_for_selector("h1", timeout=60_000)
        settle(page, timeout=600_000)
        assert page.locator("h1").first.is_visible()
        assert page.locator("[data-testid=stException]").count() == 0, title
        name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)


def test_switching_both_france_inputs_on_says_go(page, server):
    page.goto(f"{server}/perceptron")
    settle(page)
    assert metric_value(page, "Decision") == "stay (0)"
    page.locator("label", has_text="x1: the ticket costs less than $1,000").click()  # the control, not its help line
    settle(page)
    assert metric_value(page, "Decision") == "stay (0)"  # 4 − 4 = 0 is not > 0
    page.locator("label", has_text="x2: my partner can come").click()
    settle(page)
    assert metric_value(page, "Decision") == "go (1)"


def test_drawn_digits_are_read_and_clear_brings_back_the_prompt(page, server):
    open_mnist(page, server)
    for digit, strokes in STROKES.items():
        draw(page, strokes)
        page.wait_for_selector("[data-testid=stMetric]:has-text('Prediction')", timeout=30_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"drawn-{digit}.png"), full_page=True)
        assert metric_value(page, "Prediction") == digit
        page.get_by_role("button", name="Clear").click()
        expect(page.get_by_text("Draw a digit to see what the network reads.")).to_be_visible(timeout=30_000)
        expect(page.locator("[data-testid=stMetric]:has-text('Prediction')")).to_have_count(0)


def test_a_text_file_named_png_gets_a_clear_message_and_the_page_keeps_working(page, server):
    open_mnist(page, server)
    choose(page, "Digit to read", "Upload a photo")
    settle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "digit.png", "mimeType": "image/png", "buffer": b"this is only text"}]
    )
    page.wait_for_selector("text=not a picture we can read", timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    choose(page, "Digit to read", "Draw")
    settle(page)
    draw(page, STROKES["1"])
    page.wait_for_selector("[data-testid=stMetric]:has-text('Prediction')", timeout=30_000)
    settle(page)
    assert metric_value(page, "Prediction") == "1"


def test_play_keeps_training_the_playground_until_paused(page, server):
    page.goto(f"{server}/hidden_layers")
    settle(page)
    assert metric_value(page, "Epoch") == "0"
    play = page.get_by_test_id("stCheckbox").filter(has_text="Play").locator("label")
    play.click()
    page.wait_for_function(EPOCHS_AT_LEAST, arg=20, timeout=30_000)
    play.click()
    settle(page)
    paused = metric_value(page, "Epoch")
    page.wait_for_timeout(2000)  # not a wait for something: two seconds in which nothing may change
    assert metric_value(page, "Epoch") == paused
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_shared_link_opens_the_same_view_and_the_url_follows_the_controls(page, server):
    page.goto(f"{server}/perceptron?x1=true&x2=true&threshold=3.5")
    settle(page)
    assert metric_value(page, "Decision") == "go (1)"
    assert "3.50" in page.locator("[data-testid=stSlider]", has_text="Threshold").inner_text()
    page.locator("label", has_text="x2: my partner can come").click()
    settle(page)
    assert "x2=true" not in page.url and "x1=true" in page.url  # back to its default: dropped
    page.get_by_text("Share this view").click()
    link = page.locator("[data-testid=stPopoverBody] [data-testid=stCode]").inner_text().replace("\n", "")
    assert link.endswith("/perceptron?x1=true&threshold=3.5")


def test_classroom_mode_follows_the_learner_to_the_next_lesson(page, server):
    page.goto(f"{server}/sigmoid?classroom=true")
    settle(page)
    assert page.get_by_text("Predict before you press.").count() == 1
    page.get_by_text("Next: Gradient descent").click()
    settle(page)
    assert page.locator("h1").first.inner_text().startswith("Gradient descent")
    assert page.get_by_text("Predict before you press.").count() == 1
    page.locator("[data-testid=stSidebar]").get_by_text("Classroom mode").click()
    settle(page)
    assert page.get_by_text("Predict before you press.").count() == 0
    page.screenshot(path=str(ARTIFACTS / "classroom-off.png"))


def test_a_drawing_opens_every_look_inside_view_and_the_straight_resize_toggle(page, server):
    open_mnist(page, server)
    draw(page, STROKES["7"])
    page.wait_for_selector("[data-testid=stMetric]:has-text('Prediction')", timeout=30_000)
    settle(page)
    tabs = page.locator("[data-testid=stTabs]")
    assert "Moved" in tabs.inner_text() and "Scaled to" in tabs.inner_text()  # the recipe, step by step
    for name, expected in (
        ("Activations", "Convolution layer 3"),
        ("What the first layer looks for", "filter 16"),
        ("Which pixels mattered", "made it read 7"),
        ("Nearest training digits", "distance"),
    ):
        page.get_by_role("tab", name=name).click()  # only the open tab's view is drawn: a click reruns
        tabs.get_by_text(expected).first.wait_for(timeout=60_000)  # the nearest digits may wait for their index
    nearest = tabs.locator("[role=tabpanel]:visible [data-testid=stImage]")
    assert nearest.count() == 6
    tabs.screenshot(path=str(ARTIFACTS / "look-inside-nearest.png"))
    assert page.locator("[data-testid=stException]").count() == 0
    page.get_by_text("Resize straight to 28 × 28", exact=True).first.click()
    settle(page)
    assert "resized straight" in page.locator("[data-testid=stImage]", has_text="What the network sees").inner_text()


def test_a_teachers_link_shows_only_the_controls_it_names(page, server):
    page.goto(f"{server}/loss?show=m&b=1")
    settle(page)
    assert page.locator("[data-testid=stMain] [data-testid=stSlider]").count() == 1
    assert page.get_by_role("slider", name="Slope m").count() == 1
    assert page.get_by_role("slider", name="Intercept b").count() == 0
    assert metric_value(page, "Prediction ŷ") == "7"
    page.goto(f"{server}/hidden_layers?show=activation,nonsense")
    settle(page)
    assert page.get_by_role("combobox", name="Activation").count() == 1
    assert page.locator("[data-testid=stMain] [data-testid=stSlider]").count() == 0  # no layer count
    assert page.get_by_text("names no control of this page").count() == 1


def test_clicking_the_plane_adds_a_point_of_the_chosen_class(page, server):
    page.goto(f"{server}/hidden_layers?dataset=Only%20your%20points")
    settle(page)
    plane = page.locator("[data-testid=stVegaLiteChart]").first
    plane.scroll_into_view_if_needed()
    box = plane.bounding_box()
    for share in (0.3, 0.6):  # two clicks, two points
        page.mouse.click(box["x"] + box["width"] * share, box["y"] + box["height"] * share)
        settle(page)
        plane = page.locator("[data-testid=stVegaLiteChart]").first
    assert page.get_by_text("Your own points (2)").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
