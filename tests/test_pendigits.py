"""Real pen-written digits, read from the trajectory file and drawn as the page's canvas draws."""

import numpy as np
import pytest

from core.digits import pendigits, preprocess

needs_file = pytest.mark.skipif(not pendigits.path().exists(), reason=f"no pendigits file at {pendigits.path()}")


@needs_file
def test_the_file_holds_every_digit_of_every_writer():
    digits = pendigits.read()
    text = pendigits.path().read_text()
    assert len(digits) == text.count(".SEGMENT DIGIT") == 7494
    assert {digit.writer for digit in digits} == set(range(1, 31))
    labels = [int(line.split('"')[1]) for line in text.splitlines() if line.startswith(".SEGMENT DIGIT")]
    assert [digit.label for digit in digits] == labels
    assert sum(len(digit.strokes) for digit in digits) == text.count(".PEN_DOWN")
    assert all(
        stroke.ndim == 2 and stroke.shape[1] == 2 and len(stroke) for digit in digits for stroke in digit.strokes
    )


def test_a_small_file_is_read_stroke_by_stroke(tmp_path):
    file = tmp_path / "two.tra"
    file.write_text(
        '.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 3 1\n.PEN_DOWN\n 0 100\n 50 100\n.PEN_UP\n.PEN_DOWN\n'
        ' 50 100\n 20 0\n.PEN_UP\n.SEGMENT DIGIT 1 ? "1"\n.COMMENT 1 4 2\n.PEN_DOWN\n 5 0\n 5 90\n.PEN_UP\n'
    )
    seven, one = pendigits.read(file)
    assert (seven.label, seven.writer, one.label, one.writer) == (7, 3, 1, 4)
    assert [stroke.tolist() for stroke in seven.strokes] == [[[0, 100], [50, 100]], [[50, 100], [20, 0]]]


def test_a_digit_fills_the_canvas_as_asked_upright_and_centred():
    digit = pendigits.PenDigit(7, 1, (np.array([[0.0, 100.0], [50.0, 100.0]]), np.array([[50.0, 100.0], [20.0, 0.0]])))
    strokes = pendigits.on_canvas(digit, span=200)
    points = np.array([point for stroke in strokes for point in stroke])
    assert np.ptp(points[:, 1]) == pytest.approx(200) and np.ptp(points[:, 0]) == pytest.approx(100)
    assert points.min(axis=0) + np.ptp(points, axis=0) / 2 == pytest.approx([140, 140])
    assert strokes[0][0][1] < strokes[1][1][1]  # the bar (high on the tablet) is at the top of the canvas


def test_a_straight_stroke_inks_its_length_times_the_pen_plus_two_round_ends():
    drawing = pendigits.render([[(40.0, 140.0), (240.0, 140.0)]], width=18)
    assert drawing.shape == (280, 280, 4) and (drawing[..., 3] == 255).all()
    area = 200 * 18 + np.pi * 9**2  # a rectangle and two half discs
    assert drawing[..., 0].sum() / 255 == pytest.approx(area, rel=0.01)


@needs_file
def test_pen_digits_become_mnist_style_images_through_the_pages_preprocessing():
    digits = pendigits.writers_of(pendigits.read(), [16])[:20]
    images, labels = pendigits.as_mnist(digits)
    assert images.shape == (20, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [digit.label for digit in digits]
    expected = preprocess.to_mnist(pendigits.render(pendigits.on_canvas(digits[0])))
    assert np.abs(images[0] / 255 - expected).max() <= 0.5 / 255 + 1e-6


def _area(points):
    """A closed polygon's area by the shoelace formula."""
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_a_distorted_digit_keeps_its_area_label_and_points():
    square = np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]])
    digit = pendigits.PenDigit(4, 9, (square, square[:2] + 7))
    rng = np.random.default_rng(0)
    for _ in range(20):
        bent = pendigits.distorted(digit, rng)
        assert (bent.label, bent.writer) == (4, 9) and [len(s) for s in bent.strokes] == [4, 2]
        # a turn, a shear and a stretch by e^a one way and e^-a the other each keep areas
        assert _area(bent.strokes[0]) == pytest.approx(_area(square))
        assert not np.allclose(bent.strokes[0] - bent.strokes[0].mean(0), square - square.mean(0))


def test_a_slant_alone_shifts_each_point_sideways_by_its_height():
    class Fixed:  # the generator's draws in order: the turn, the slant, the stretch
        def __init__(self, *values):
            self.values = list(values)

        def uniform(self, low, high):
            return self.values.pop(0)

    stroke = np.array([[10.0, 0.0], [10.0, 80.0]])  # a vertical line, 80 high
    [slanted] = pendigits.distorted(pendigits.PenDigit(1, 1, (stroke,)), Fixed(0.0, 0.25, 0.0)).strokes
    assert slanted[1] - slanted[0] == pytest.approx([0.25 * 80, 80])


def test_varied_drawings_are_reproducible_by_seed_and_differ_between_seeds():
    stroke = np.array([[0.0, 0.0], [30.0, 100.0], [60.0, 0.0]])
    digits = [pendigits.PenDigit(label, 1, (stroke * (1 + label / 10),)) for label in range(4)]
    first, labels = pendigits.varied(digits, 5)
    again, _ = pendigits.varied(digits, 5)
    other, _ = pendigits.varied(digits, 6)
    assert first.shape == (4, 28, 28) and first.dtype == np.uint8 and labels.tolist() == [0, 1, 2, 3]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    plain, _ = pendigits.as_mnist(digits)
    assert not np.array_equal(first, plain)


def test_a_bent_digit_moves_each_point_by_its_sine_waves_and_no_further():
    class Fixed:  # the generator's draws in order: two wave counts, two phases
        def __init__(self, *pairs):
            self.pairs = list(pairs)

        def uniform(self, low, high, size):
            return np.array(self.pairs.pop(0))

    stroke = np.array([[0.0, 0.0], [0.0, 25.0], [0.0, 50.0], [100.0, 100.0]])  # the digit is 100 across
    [bent] = pendigits.wobbled(pendigits.PenDigit(2, 3, (stroke,)), Fixed((1.0, 2.0), (0.0, np.pi / 2)), 0.05).strokes
    waves = np.array([1.0, 2.0]) * 2 * np.pi / 100
    # x moves by 5·sin(y·wave_x), y by 5·sin(x·wave_y + π/2): at y = 25, a quarter of one wave, x moves by 5
    expected = stroke + 5 * np.sin(stroke[:, ::-1] * waves + [0.0, np.pi / 2])
    np.testing.assert_allclose(bent, expected)
    assert bent[1, 0] == pytest.approx(5.0)
    rng = np.random.default_rng(0)
    for _ in range(20):
        [moved] = pendigits.wobbled(pendigits.PenDigit(2, 3, (stroke,)), rng, 0.05).strokes
        assert np.abs(moved - stroke).max() <= 5.0 + 1e-9


def test_an_unbent_variation_is_the_shipped_recipes_drawing():
    stroke = np.array([[0.0, 0.0], [30.0, 100.0], [60.0, 0.0]])
    digits = [pendigits.PenDigit(label, 1, (stroke * (1 + label / 10),)) for label in range(3)]
    assert np.array_equal(pendigits.varied(digits, 5)[0], pendigits.varied(digits, 5, wobble=0.0)[0])
    assert not np.array_equal(pendigits.varied(digits, 5)[0], pendigits.varied(digits, 5, wobble=0.03)[0])
