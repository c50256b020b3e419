import io
import pathlib

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from core.digits import preprocess


def drawn_digit(size=280, background=0, ink=255, box=(30, 40, 90, 130), mode="L"):
    """Return a PIL image with a small '7'-like stroke pattern off-centre."""
    image = Image.new(mode, (size, size), background)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = box
    draw.line([(left, top), (right, top)], fill=ink, width=10)
    draw.line([(right, top), (left + 15, bottom)], fill=ink, width=10)
    return image


def test_small_off_centre_digit_comes_out_centred_and_20px():
    result = preprocess.to_mnist(drawn_digit())
    assert result.shape == (28, 28) and result.dtype == np.float32
    assert 0.0 <= result.min() and result.max() <= 1.0
    row, column = ndimage.center_of_mass(result)
    assert abs(row - 13.5) <= 1 and abs(column - 13.5) <= 1
    rows, columns = np.nonzero(result > 0.05)
    longest = max(rows.max() - rows.min() + 1, columns.max() - columns.min() + 1)
    assert 19 <= longest <= 21


def test_black_on_white_equals_white_on_black():
    dark_on_light = preprocess.to_mnist(drawn_digit(background=255, ink=0))
    light_on_dark = preprocess.to_mnist(drawn_digit(background=0, ink=255))
    assert np.allclose(dark_on_light, light_on_dark, atol=1e-6)


def test_rgb_and_array_inputs_give_the_same_result():
    reference = preprocess.to_mnist(drawn_digit())
    rgb = np.asarray(drawn_digit().convert("RGB"))
    assert np.allclose(preprocess.to_mnist(rgb), reference, atol=1e-6)
    assert np.allclose(preprocess.to_mnist(np.asarray(drawn_digit())), reference, atol=1e-6)


def test_rgba_canvas_with_transparent_background():
    alpha = np.asarray(drawn_digit())
    canvas = np.zeros((280, 280, 4), dtype=np.uint8)
    canvas[..., :3] = 0  # stroke colour black: only the alpha channel tells where the ink is
    canvas[..., 3] = alpha
    assert np.allclose(preprocess.to_mnist(canvas), preprocess.to_mnist(drawn_digit()), atol=1e-6)


def test_opaque_rgba_canvas_white_on_black():
    gray = np.asarray(drawn_digit())
    canvas = np.dstack([gray, gray, gray, np.full_like(gray, 255)])
    assert np.allclose(preprocess.to_mnist(canvas), preprocess.to_mnist(drawn_digit()), atol=1e-6)


@pytest.mark.parametrize(
    "blank", [np.zeros((280, 280)), np.full((50, 60), 255, dtype=np.uint8), np.zeros((280, 280, 4), dtype=np.uint8)]
)
def test_blank_image_means_nothing_drawn(blank):
    assert preprocess.to_mnist(blank) is None


def test_the_reduced_resize_stays_close_to_a_full_lanczos(monkeypatch):
    """The box reduction before Lanczos (REDUCING_GAP) saves time; the digit hardly changes."""
    drawing = drawn_digit(box=(20, 20, 250, 260))  # a large drawing: shrunk more than 10 times
    fast = preprocess.mnist_steps(drawing)
    monkeypatch.setattr(preprocess, "REDUCING_GAP", None)
    full = preprocess.mnist_steps(drawing)
    assert fast.boxed.shape == full.boxed.shape and fast.shift == full.shift
    gap = np.abs(fast.boxed - full.boxed)
    assert gap.mean() < 2 / 255 and gap.max() < 0.15 and not np.array_equal(fast.boxed, full.boxed)


def test_naive_resize_differs_from_the_mnist_recipe():
    image = drawn_digit()
    naive = preprocess.naive_resize(image)
    assert naive.shape == (28, 28)
    row, column = ndimage.center_of_mass(naive)
    assert abs(row - 13.5) > 3 or abs(column - 13.5) > 3  # still off in the corner


def png_bytes(image, format="PNG"):
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def test_upload_accepts_png_and_jpeg():
    for format in ("PNG", "JPEG"):
        image = preprocess.read_upload(png_bytes(drawn_digit(background=255, ink=0), format))
        assert preprocess.to_mnist(image) is not None


@pytest.mark.parametrize(
    "data, message",
    [
        (b"just some text, not an image", "not a picture"),
        (b"", "empty"),
        (png_bytes(drawn_digit())[:200], "damaged"),
        (png_bytes(drawn_digit(), "GIF"), "PNG or JPEG"),
    ],
)
def test_upload_rejects_bad_files_with_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        preprocess.read_upload(data)


def test_upload_rejects_huge_files_and_images():
    with pytest.raises(ValueError, match="limit is 5 MB"):
        preprocess.read_upload(b"0" * (preprocess.MAX_UPLOAD_BYTES + 1))
    huge = png_bytes(Image.new("1", (8000, 6000)))  # 48 megapixels, tiny on disk
    assert len(huge) < preprocess.MAX_UPLOAD_BYTES
    with pytest.raises(ValueError, match="under 8 megapixels"):
        preprocess.read_upload(huge)


def test_a_damaged_file_is_described_in_our_words_not_pythons():
    with pytest.raises(ValueError) as caught:
        preprocess.read_upload(png_bytes(drawn_digit())[:200])
    assert "damaged" in str(caught.value) and "(" not in str(caught.value)


def peak_memory_mb_reading(data):
    """Peak resident memory of a fresh Python that reads `data` as an upload, less its peak
    before reading (both from the kernel's high-water mark)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as handle:
        handle.write(data)
    script = f"""
import resource
from core.digits import preprocess
data = open({handle.name!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
image = preprocess.read_upload(data)
preprocess.to_mnist(image)
print(max(image.size), (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=pathlib.Path(__file__).resolve().parents[1],
    )
    side, grown = result.stdout.split()
    return int(side), float(grown)


def test_a_large_photo_is_read_shrunk_without_ever_being_held_at_full_size():
    photo = Image.new("RGB", (6300, 6300), "white")
    photo.paste((20, 20, 20), (2800, 1500, 3500, 4800))  # a thick "1"
    data = png_bytes(photo, "JPEG")
    side, grown = peak_memory_mb_reading(data)
    assert side <= preprocess.READ_SIDE
    assert grown < 40  # decoded in full, the photo alone would take 119 MB


def test_a_phone_photo_stored_sideways_is_read_upright():
    upright = drawn_digit(background=255, ink=0, box=(40, 60, 200, 250)).convert("RGB")
    sideways = upright.rotate(90, expand=True)  # stored turned left, as a phone held on its side does
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", exif=exif.tobytes(), quality=95)
    read = preprocess.to_mnist(preprocess.read_upload(buffer.getvalue()))
    expected = preprocess.to_mnist(upright)
    unturned = np.abs(preprocess.to_mnist(sideways) - expected).mean()  # what reading it as stored gives
    assert np.abs(read - expected).mean() < unturned / 4


def test_a_phones_mpo_picture_is_read_as_the_jpeg_it_is():
    frames = [drawn_digit(background=255, ink=0).convert("RGB") for _ in range(2)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    assert preprocess.to_mnist(preprocess.read_upload(buffer.getvalue())) is not None
