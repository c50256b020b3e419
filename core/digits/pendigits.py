"""Real pen-written digits (UCI "pendigits", the original trajectories) drawn as the page's canvas
would hold them: to measure how the network reads people's drawings (bench/pen.py, the browser
test that replays them), and to teach the shipped network how people draw (core/digits/pretrain.py).

The file is `$PENDIGITS` (else ../shared/data/pendigits/pendigits-orig.tra beside the project). Each
digit is a `.SEGMENT DIGIT … "label"`, a `.COMMENT <label> <writer> <number>` line, then strokes:
`.PEN_DOWN`, lines of "x y" tablet coordinates (y grows upwards), `.PEN_UP`.

Never copied into the repository: point at the file.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from core import settings

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = settings.DEFAULT_PENDIGITS
CANVAS_SIDE = 280  # the page's canvas, in CSS pixels (ui/digits/predict.py CANVAS)
STROKE_WIDTH = 18  # the page's pen
SPAN = 200  # a digit's longer side on the canvas: drawn large, as the page asks, with a margin
SUPERSAMPLE = 4  # drawn 4× larger, then shrunk: smooth edges, as the browser draws them


@dataclass(frozen=True)
class PenDigit:
    label: int
    writer: int
    strokes: tuple  # of (n, 2) float arrays of tablet (x, y), y upwards


def path():
    """Return the pendigits file named by $PENDIGITS, or the shared copy beside the project."""
    return settings.pendigits_file()


def read(file=None):
    """Return every digit of a pendigits trajectory file as a list of PenDigit."""
    digits, label, writer, strokes, points = [], None, None, [], None
    for line in Path(file or path()).read_text().splitlines():
        if line.startswith(".SEGMENT"):
            if label is not None:
                digits.append(PenDigit(label, writer, tuple(strokes)))
            label, writer, strokes = int(re.search(r'"(\d)"', line).group(1)), None, []
        elif line.startswith(".COMMENT") and label is not None:
            writer = int(line.split()[2])
        elif line.startswith(".PEN_DOWN"):
            points = []
        elif line.startswith(".PEN_UP") and points is not None:
            if points:
                strokes.append(np.array(points, dtype=float))
            points = None
        elif points is not None and line.strip():
            x, y = line.split()
            points.append((float(x), float(y)))
    if label is not None:
        digits.append(PenDigit(label, writer, tuple(strokes)))
    return digits


def on_canvas(digit, span=SPAN, side=CANVAS_SIDE):
    """Return the digit's strokes as lists of (x, y) canvas points (y downwards), scaled so the
    longer side spans `span` pixels, and centred: where a hand would move the mouse or finger."""
    every = np.concatenate(digit.strokes)
    low, high = every.min(axis=0), every.max(axis=0)
    scale = span / max(float((high - low).max()), 1.0)
    centre = (low + high) / 2
    return [
        [(side / 2 + (x - centre[0]) * scale, side / 2 - (y - centre[1]) * scale) for x, y in stroke]
        for stroke in digit.strokes
    ]


def distorted(digit, rng, slant=0.35, stretch=0.2, turn=0.17, wobble=0.0):
    """Return a copy of the digit as another hand might have drawn it: slanted by up to `slant`
    (a shear), stretched by up to e^±`stretch` one way and squeezed the other, and turned by up to
    `turn` radians, each at random from `rng` (a numpy Generator); then, if `wobble` > 0, bent
    (wobbled()). Done on the strokes, before drawing, so the pen keeps its width: written by hand
    because it is a few lines of geometry."""
    every = np.concatenate(digit.strokes)
    centre = (every.min(axis=0) + every.max(axis=0)) / 2
    angle, shear = rng.uniform(-turn, turn), rng.uniform(-slant, slant)
    factor = np.exp(rng.uniform(-stretch, stretch))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([factor, 1 / factor])
    moved = PenDigit(digit.label, digit.writer, tuple((stroke - centre) @ matrix.T for stroke in digit.strokes))
    return wobbled(moved, rng, wobble) if wobble > 0 else moved


def wobbled(digit, rng, amount):
    """Return the digit bent by a smooth random field: each point moves sideways by a sine wave of
    its height and up or down by a sine wave of its place across, one to two waves over the digit,
    random phases, by up to `amount` of the digit's size (an elastic distortion, as Simard et al.
    2003 do on pixels, done here on the strokes so the pen keeps its width)."""
    every = np.concatenate(digit.strokes)
    low, size = every.min(axis=0), max(float(np.ptp(every, axis=0).max()), 1.0)
    waves = rng.uniform(1, 2, size=2) * 2 * np.pi / size
    phases = rng.uniform(0, 2 * np.pi, size=2)
    push = amount * size

    def bend(points):
        across = points - low
        return points + push * np.sin(across[:, ::-1] * waves + phases)  # x moves with y, y with x

    return PenDigit(digit.label, digit.writer, tuple(bend(stroke) for stroke in digit.strokes))


def render(strokes, side=CANVAS_SIDE, width=STROKE_WIDTH):
    """Return (side, side, 4) uint8 RGBA: white round-capped strokes on black, as the canvas gives
    the page (`st_canvas(...).image_data`)."""
    big = Image.new("L", (side * SUPERSAMPLE, side * SUPERSAMPLE), 0)
    pen = ImageDraw.Draw(big)
    radius = width * SUPERSAMPLE / 2
    for stroke in strokes:
        points = [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in stroke]
        if len(points) > 1:
            pen.line(points, fill=255, width=int(width * SUPERSAMPLE), joint="curve")
        for x, y in (points[0], points[-1]) if len(points) > 1 else points:
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    gray = np.asarray(big.resize((side, side), Image.Resampling.BOX))
    rgba = np.zeros((side, side, 4), dtype=np.uint8)
    rgba[..., :3] = gray[..., None]
    rgba[..., 3] = 255
    return rgba


def writers_of(digits, writers):
    """Return the digits written by the given writers (numbers 1–30)."""
    chosen = set(writers)
    return [digit for digit in digits if digit.writer in chosen]


def as_mnist(digits, span=SPAN, width=STROKE_WIDTH):
    """Return ((n, 28, 28) uint8 images, (n,) uint8 labels): each digit drawn on the canvas `span`
    px large with a `width` px pen, then prepared by the page's own preprocessing."""
    return _prepared(digits, [(digit, span, width) for digit in digits])


def varied(digits, seed, spans=(120, 240), widths=(10, 24), wobble=0.0):
    """Like as_mnist, but each digit distorted() (bent by up to `wobble`) and drawn at a random size
    in `spans` with a random pen width in `widths` (px), from a generator seeded with `seed`: one
    more copy of the digits, as other hands on other screens might draw them."""
    rng = np.random.default_rng(seed)
    return _prepared(
        digits,
        [
            (distorted(digit, rng, wobble=wobble), rng.uniform(*spans), int(round(rng.uniform(*widths))))
            for digit in digits
        ],
    )


def _prepared(digits, drawings):
    from core.digits import preprocess

    images = [preprocess.to_mnist(render(on_canvas(digit, span), width=width)) for digit, span, width in drawings]
    return (
        np.round(np.stack(images) * 255).astype(np.uint8),
        np.array([digit.label for digit in digits], dtype=np.uint8),
    )
