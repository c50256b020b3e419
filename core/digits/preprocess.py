"""Turn a drawing or photo into what MNIST looks like.

MNIST digits were made this way: crop to the ink, scale the longer side to 20 px keeping the
aspect ratio (anti-aliased), put that in a 28×28 field and move it so its centre of mass sits at
the centre. Resizing a whole canvas straight to 28×28 skips all of this, and networks trained on
MNIST then misread many drawings.
"""

import base64
import binascii
import io
from dataclasses import dataclass

import numpy as np
import scipy  # its `scipy.ndimage` loads when a drawing or photo is first prepared (0.4 s): a test digit needs none
from PIL import Image, ImageOps, UnidentifiedImageError

from core.i18n import N_, Refused

FIELD = 28  # MNIST images are 28×28
BOX = 20  # the digit's longer side
INK_LEVEL = 0.2  # a pixel this far from the background counts as ink when cropping
REDUCING_GAP = 2.0  # see mnist_steps
MIN_INK_PIXELS = 4  # fewer inked pixels than this means nothing was drawn
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
READ_SIDE = 800  # an upload is read at most this many pixels a side: plenty for one digit
JPEG_FORMATS = ("JPEG", "MPO")  # MPO: a phone's JPEG with extra frames (depth, a preview)
MAX_JPEG_PIXELS = 64_000_000  # decoded at up to 1/8 scale, so at most 1 megapixel in memory
MAX_PNG_PIXELS = 8_000_000  # decoded at full size (32 MB at most) before it is shrunk
PAD_PREFIX = "data:image/png;base64,"  # what the drawing pad sends: its canvas as a PNG data URL
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PAD_REFUSED = N_(
    "The drawing pad sent something that is not one of its drawings, so it was not read. Press Clear and draw again."
)


def pad_limit(side):
    """The longest data URL a `side` × `side` drawing pad can send: its RGBA pixels stored with no
    compression at all, plus PNG's per-row and per-block overhead, in base64 (4 characters per 3 bytes)."""
    stored = side * (side * 4 + 1) + 64 * 1024
    return len(PAD_PREFIX) + 4 * (stored // 3 + 1)


def _ink_of_colours(array):
    """ink_map of an 8-bit RGB or RGBA array, as ink_map computes it for floats, but faster: the
    same luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) computed by Pillow in C, in whole levels
    0–255, then scaled in place. A fifth of the time for the pad's 280 × 280 pixels, within half a
    level of the float sum."""
    if array.shape[2] == 4 and array[..., 3].min() < 255:  # strokes on a transparent background
        return array[..., 3].astype(np.float32) / 255.0
    gray = np.asarray(Image.fromarray(np.ascontiguousarray(array)).convert("L"))
    background = float(np.median(np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])))
    ink = gray.astype(np.float32)
    if background < 127.5:  # light ink on a dark background
        ink -= background
        span = 255.0 - background
    else:
        np.subtract(background, ink, out=ink)
        span = background
    ink *= 1.0 / max(span, 1e-6)
    return np.clip(ink, 0.0, 1.0, out=ink)


def ink_map(image):
    """Return (H, W) float32 ink in [0, 1]: 1 is full ink, 0 the background, whatever the colours.

    Accepts a PIL image or an array: grayscale (H, W), RGB (H, W, 3) or RGBA (H, W, 4). With
    transparency, the opaque strokes are the ink; otherwise the ink is whatever differs from the
    background, which is read off the image's border (dark ink on light or light ink on dark).
    """
    array = np.asarray(image.convert("RGBA") if isinstance(image, Image.Image) else image)
    if array.ndim == 3 and array.shape[2] not in (3, 4):
        raise ValueError(f"expected 1, 3 or 4 colour channels, got {array.shape[2]}")
    if array.ndim not in (2, 3) or min(array.shape[:2]) < 1:
        raise ValueError(f"expected an image of shape (H, W), (H, W, 3) or (H, W, 4), got {array.shape}")
    if array.dtype == np.uint8 and array.ndim == 3:  # a drawing or a photo: 8-bit colour
        return _ink_of_colours(array)
    array = array.astype(np.float32)
    if array.max() > 1.0:
        array = array / 255.0
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = array[..., 3]
        if alpha.min() < 1.0:  # strokes on a transparent background
            return alpha
        array = array[..., :3]
    gray = array @ np.array([0.299, 0.587, 0.114], dtype=np.float32) if array.ndim == 3 else array
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    background = float(np.median(border))
    ink = gray - background if background < 0.5 else background - gray
    span = max(1.0 - background if background < 0.5 else background, 1e-6)
    return np.clip(ink / span, 0.0, 1.0)


@dataclass(frozen=True)
class Steps:
    """Each stage of `to_mnist`, to show how a drawing becomes an MNIST digit."""

    ink: np.ndarray  # (H, W) the whole drawing as ink in [0, 1]
    box: tuple  # (top, bottom, left, right) of the ink, bottom and right exclusive
    boxed: np.ndarray  # the cropped ink scaled so its longer side is 20 px
    placed: np.ndarray  # (28, 28) that fit, put in the middle of the field
    shift: tuple  # (rows, columns) moved so the centre of mass is at the centre
    final: np.ndarray  # (28, 28) what the network reads


def mnist_steps(image):
    """Return the Steps that turn an image into an MNIST-style digit, or None when nothing is drawn."""
    ink = ink_map(image)
    inked = ink > INK_LEVEL
    if np.count_nonzero(inked) < MIN_INK_PIXELS:
        return None
    rows, columns = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    box = (int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1)
    cropped = ink[box[0] : box[1], box[2] : box[3]]
    height, width = cropped.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # PIL wants (width, height)
    # Lanczos shrinks a picture smoothly and keeps strokes sharp; reducing_gap first shrinks it by a
    # whole factor by plain averaging (faster, and nearly the same pixels), leaving Lanczos the rest
    boxed = np.asarray(
        Image.fromarray(cropped).resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP), dtype=np.float32
    )
    boxed = np.clip(boxed, 0.0, 1.0)
    placed = np.zeros((FIELD, FIELD), dtype=np.float32)
    top, left = (FIELD - boxed.shape[0]) // 2, (FIELD - boxed.shape[1]) // 2
    placed[top : top + boxed.shape[0], left : left + boxed.shape[1]] = boxed
    centre_row, centre_column = scipy.ndimage.center_of_mass(placed)
    middle = (FIELD - 1) / 2
    shift = (round(middle - centre_row), round(middle - centre_column))
    final = scipy.ndimage.shift(placed, shift, order=0, mode="constant", cval=0.0)
    return Steps(ink, box, boxed, placed, shift, final)


def to_mnist(image):
    """Return a (28, 28) float32 MNIST-style image in [0, 1], white digit on black, or None when
    nothing is drawn."""
    steps = mnist_steps(image)
    return None if steps is None else steps.final


def naive_resize(image):
    """Return the whole image resized straight to 28×28, ink as white: what many apps do."""
    ink = ink_map(image)
    resized = Image.fromarray(ink).resize((FIELD, FIELD), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def _decode_small(data):
    """Open the image and decode it already shrunk to at most READ_SIDE px a side, upright. A
    JPEG is decoded at 1/2, 1/4 or 1/8 scale straight away (Pillow's `draft`), so a phone photo
    never exists in memory at full size; a PNG, which cannot be, is shrunk as soon as it is read."""
    image = Image.open(io.BytesIO(data))
    if image.format in JPEG_FORMATS:
        image.draft("RGB", (READ_SIDE, READ_SIDE))
    image.load()
    image = ImageOps.exif_transpose(image)  # photos stored sideways, with a tag saying so
    image.thumbnail((READ_SIDE, READ_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return image


def read_pad(data_url, side):
    """Return the drawing pad's picture, (side, side, 4) uint8 RGBA, from the data URL it sent;
    raise ValueError in plain words for anything the pad itself cannot send. The value comes from
    the browser, so a script can forge it: it is checked for its kind, length and the PNG header's
    size before a single pixel is decoded (a 9000 × 9000 PNG is only a few hundred kilobytes)."""
    refused = Refused(PAD_REFUSED)
    if not isinstance(data_url, str) or not data_url.startswith(PAD_PREFIX) or len(data_url) > pad_limit(side):
        raise refused
    try:
        data = base64.b64decode(data_url[len(PAD_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as error:
        raise refused from error
    if not data.startswith(PNG_SIGNATURE):
        raise refused
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            if image.size != (side, side):  # read from the header: nothing is decoded yet
                raise refused
            return np.asarray(image.convert("RGBA"))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, EOFError) as error:
        raise refused from error


def read_upload(data):
    """Return a PIL image from uploaded bytes, at most READ_SIDE px a side and upright; raise
    ValueError saying what is wrong in plain words otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused(
            N_("The file is {size} MB; the limit is {limit} MB."),
            size=f"{len(data) / 1e6:.1f}",
            limit=f"{MAX_UPLOAD_BYTES / 1e6:.0f}",
        )
    if len(data) == 0:
        raise Refused(N_("The file is empty."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in ("PNG", *JPEG_FORMATS):
                raise Refused(N_("This picture is not a PNG or JPEG; please upload one of those."))
            limit = MAX_JPEG_PIXELS if kind in JPEG_FORMATS else MAX_PNG_PIXELS
            if width * height > limit:
                raise Refused(
                    N_(
                        "The picture is {width} × {height} pixels, more than a digit needs; please "
                        "upload one under {limit} megapixels (or crop it to the digit)."
                    ),
                    width=width,
                    height=height,
                    limit=f"{limit / 1e6:.0f}",
                )
            probe.verify()
        return _decode_small(data)
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise Refused(N_("This file is not a picture we can read: please upload a PNG or JPEG.")) from error
    except (OSError, SyntaxError, EOFError) as error:
        raise Refused(
            N_("The picture file is damaged and cannot be read: please save it again and upload the new copy.")
        ) from error
