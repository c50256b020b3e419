"""The convolution lesson's pictures (PIL images, drawn in well under a millisecond each, so a step
of the window redraws at once): the picture with its padding and the window on it, the feature
map filled in up to the window's position, and a pooling window on a map."""

import numpy as np
from PIL import ImageDraw

from core.charts.digits import enlarge
from core.charts.palette import CURRENT, WHITE, rgb

PADDING_GREY = 0.35  # the zeros added around the picture, told apart from its own black by a frame
NOT_YET = 0.5  # a place of the feature map the window has not reached
SIDE = 252  # px: the pictures' side on the page


def _grey(values, size):
    """Values in [0, 1] as a crisp grey picture `size` px square, in RGB so a coloured box can go on it."""
    return enlarge(values, size).convert("RGB")


def _to_its_largest(feature):
    """A map of values ≥ 0 scaled so its largest is 1 (white); an all-zero map stays 0."""
    feature = np.asarray(feature, dtype=np.float64)
    return feature / max(float(feature.max()), 1e-12)


def _box(draw, top_left, cells, scale, width=3):
    """A rectangle around `cells` (rows, columns) from `top_left`: white inside vermillion, seen on
    black and on white ink alike."""
    (row, column), (rows, columns) = top_left, cells
    corners = [column * scale, row * scale, (column + columns) * scale - 1, (row + rows) * scale - 1]
    draw.rectangle(corners, outline=rgb(CURRENT), width=width)
    draw.rectangle([corners[0] + width, corners[1] + width, corners[2] - width, corners[3] - width], outline=WHITE)


def with_window(image, before, after, window, size, side=SIDE):
    """The picture with its padding (`before`, `after` rows and columns of zeros, in grey, inside a
    dotted frame) and the `size` × `size` window at (row, column) of the padded picture."""
    shown = np.pad(
        np.asarray(image, dtype=np.float64), ((before, after), (before, after)), constant_values=PADDING_GREY
    )
    cells = shown.shape[0]
    scale = max(side // cells, 1)
    picture = _grey(shown, cells * scale)
    draw = ImageDraw.Draw(picture)
    if before or after:  # the picture's own edge, so the padding shows without colour
        edge = [before * scale, before * scale, (cells - after) * scale - 1, (cells - after) * scale - 1]
        for x in range(edge[0], edge[2], 6):
            draw.line([x, edge[1], x + 2, edge[1]], fill=WHITE)
            draw.line([x, edge[3], x + 2, edge[3]], fill=WHITE)
        for y in range(edge[1], edge[3], 6):
            draw.line([edge[0], y, edge[0], y + 2], fill=WHITE)
            draw.line([edge[2], y, edge[2], y + 2], fill=WHITE)
    _box(draw, window, (size, size), scale)
    return picture


def map_so_far(feature, done, side=SIDE):
    """The feature map (values ≥ 0, scaled to its largest) with the places after the first `done`
    (row by row) still grey, and the last one done boxed."""
    shown = _to_its_largest(feature)
    cells = shown.shape[0]
    shown.reshape(-1)[done:] = NOT_YET
    scale = max(side // cells, 1)
    picture = _grey(shown, cells * scale)
    if done:
        _box(ImageDraw.Draw(picture), divmod(done - 1, cells), (1, 1), scale, width=2)
    return picture


def with_pool_window(feature, window, pool, side=SIDE):
    """A map (values ≥ 0, scaled to its largest) with the `pool` × `pool` window at (row, column) of
    the pooled map boxed."""
    scale = max(side // feature.shape[0], 1)
    picture = _grey(_to_its_largest(feature), feature.shape[0] * scale)
    _box(ImageDraw.Draw(picture), (window[0] * pool, window[1] * pool), (pool, pool), scale, width=2)
    return picture


def scaled(feature, side=SIDE // 2):
    """A map (values ≥ 0) in grey, black at 0 and white at its largest value."""
    return _grey(_to_its_largest(feature), side)
