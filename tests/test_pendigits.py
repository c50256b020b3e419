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
    assert all(stroke.ndim == 2 and stroke.shape[1] == 2 and len(stroke) for digit in digits for stroke in digit.strokes)


def test_a_small_file_is_read_stroke_by_stroke(tmp_path):
    file = tmp_path / "two.tra"
    file.write_text('.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 3 1\n.PEN_DOWN\n 0 100\n 50 100\n.PEN_UP\n.PEN_DOWN\n'
                    ' 50 100\n 20 0\n.PEN_UP\n.SEGMENT DIGIT 1 ? "1"\n.COMMENT 1 4 2\n.PEN_DOWN\n 5 0\n 5 90\n.PEN_UP\n')
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
    area = 200 * 18 + np.pi * 9 ** 2  # a rectangle and two half discs
    assert drawing[..., 0].sum() / 255 == pytest.approx(area, rel=0.01)


@needs_file
def test_pen_digits_become_mnist_style_images_through_the_pages_preprocessing():
    digits = pendigits.writers_of(pendigits.read(), [16])[:20]
    images, labels = pendigits.as_mnist(digits)
    assert images.shape == (20, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [digit.label for digit in digits]
    expected = preprocess.to_mnist(pendigits.render(pendigits.on_canvas(digits[0])))
    assert np.abs(images[0] / 255 - expected).max() <= 0.5 / 255 + 1e-6
