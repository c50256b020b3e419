"""A room's drawings as the lab reads them (core/lab/store.py's `drawings`), and as the files a
teacher downloads: MNIST's layout (.npz) and Kaggle's (CSV)."""

import io
from dataclasses import dataclass

import numpy as np

from core.i18n import N_
from core.lab.errors import RoomProblem

SIDE = 28


def pixel_bytes(image):
    """A 28 × 28 drawing as stored: its bytes, uint8 0–255 (pixels in 0–1 are scaled); refused at any other size."""
    pixels = np.asarray(image)
    if pixels.shape != (SIDE, SIDE):
        raise RoomProblem(
            N_("a drawing must be {side} × {side} pixels, got {shape}"), side=SIDE, shape=str(pixels.shape)
        )
    if pixels.dtype != np.uint8:
        pixels = np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    return pixels.tobytes()


@dataclass(frozen=True)
class Drawings:
    """A room's drawings, oldest first: what the lab view and the teacher's files need. (The
    network's reading at the time is stored too, for the record, but the view reads them again
    with the room's current network.)"""

    ids: np.ndarray  # (n,) int
    labels: np.ndarray  # (n,) int
    images: np.ndarray  # (n, 28, 28) uint8
    straight: np.ndarray  # (n, 28, 28) uint8

    def __len__(self):
        return len(self.ids)


def as_npz(drawings):
    """The drawings in MNIST's layout (x_train, y_train, x_test, y_test; white on black, uint8),
    every drawing in the training arrays and none in the test arrays: `np.load` reads it back."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        x_train=drawings.images,
        y_train=drawings.labels.astype(np.uint8),
        x_test=np.zeros((0, SIDE, SIDE), np.uint8),
        y_test=np.zeros(0, np.uint8),
    )
    return buffer.getvalue()


def as_csv(drawings):
    """The drawings as CSV: label, then the 784 pixels (0–255) row by row, as Kaggle's MNIST files."""
    header = ",".join(["label", *(f"pixel{i}" for i in range(SIDE * SIDE))])
    lines = [",".join(map(str, [label, *image.ravel()])) for label, image in zip(drawings.labels, drawings.images)]
    return "\n".join([header, *lines]) + "\n"
