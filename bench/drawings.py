"""Drawings for the benchmarks, made from MNIST digits without TensorFlow."""

import numpy as np
from PIL import Image


def canvas_like(digit):
    """Return a 280×280 RGBA drawing made from a 28×28 test digit, as the canvas sends it."""
    big = np.asarray(Image.fromarray(digit).resize((280, 280), Image.Resampling.BILINEAR))
    return np.dstack([big, big, big, np.full_like(big, 255)])
