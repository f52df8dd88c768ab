"""What brands upload: every accepted format becomes a clean sRGB JPEG; every bad file is
refused with a plain reason; nothing of the camera's metadata ever leaves."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import ExifTags, Image

from mcp_servers.feed_publisher.imaging.derivatives import PreparedImage, instagram_derivative
from mcp_servers.feed_publisher.imaging.headers import InvalidPhoto

from .photo_files import (
    BLUE,
    RED,
    camera_exif,
    claude_copy,
    encoded,
    photo,
    png_bomb,
    swapped_primaries_profile,
)

PREPARATIONS = [instagram_derivative, claude_copy]


def red_square(mode: str = "RGB") -> Image.Image:
    return Image.new("RGB", (900, 900), RED).convert(mode)


def sixteen_bit_grey() -> bytes:
    image = Image.frombytes("I;16", (900, 900), (50000).to_bytes(2, "little") * 900 * 900)
    assert image.getpixel((0, 0)) == 50000
    return encoded(image, "PNG")


FORMATS = {
    "jpeg": lambda: encoded(red_square()),
    "progressive-jpeg": lambda: encoded(red_square(), progressive=True),
    "png": lambda: encoded(red_square(), "PNG"),
    "webp": lambda: encoded(red_square(), "WEBP", quality=90),
    "heic": lambda: encoded(red_square(), "HEIF", quality=90),
    "cmyk-jpeg": lambda: encoded(red_square("CMYK")),
}


def decoded(prepared: PreparedImage) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (prepared.width, prepared.height)
    return image


def close_to(pixel: object, colour: tuple[int, ...], tolerance: int = 16) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize("prepare", PREPARATIONS)
@pytest.mark.parametrize("make", FORMATS.values(), ids=FORMATS.keys())
def test_each_accepted_format_becomes_an_rgb_jpeg_of_the_same_colour(
    make: Callable[[], bytes], prepare: Callable[[bytes], PreparedImage]
) -> None:
    image = decoded(prepare(make()))

    assert image.size == (900, 900)
    assert close_to(image.getpixel((450, 450)), RED, tolerance=24)


@pytest.mark.parametrize("prepare", PREPARATIONS)
def test_a_16_bit_grey_png_keeps_its_lightness_instead_of_clipping_to_white(
    prepare: Callable[[bytes], PreparedImage],
) -> None:
    image = decoded(prepare(sixteen_bit_grey()))

    assert close_to(image.getpixel((10, 10)), (194, 194, 194), tolerance=3)


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_transparent_pixels_are_laid_on_the_brands_colour(format: str) -> None:
    logo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    logo.paste((*BLUE, 255), (200, 200, 600, 600))

    image = decoded(
        instagram_derivative(encoded(logo, format, lossless=True), background=(250, 240, 200))
    )

    assert close_to(image.getpixel((20, 20)), (250, 240, 200))
    assert close_to(image.getpixel((400, 400)), BLUE)


@pytest.mark.parametrize("prepare", PREPARATIONS)
def test_an_embedded_colour_profile_is_converted_to_srgb(
    prepare: Callable[[bytes], PreparedImage],
) -> None:
    # Under this profile the stored value (255, 0, 0) means blue.
    tagged = encoded(
        Image.new("RGB", (800, 800), (255, 0, 0)), icc_profile=swapped_primaries_profile()
    )

    image = decoded(prepare(tagged))

    assert close_to(image.getpixel((400, 400)), (0, 0, 255), tolerance=24)
    assert "icc_profile" not in image.info


@pytest.mark.parametrize("prepare", PREPARATIONS)
def test_a_heic_photo_from_a_phone_leaves_without_gps_or_camera_serial(
    prepare: Callable[[bytes], PreparedImage],
) -> None:
    source = encoded(Image.new("RGB", (1200, 1600), RED), "HEIF", exif=camera_exif().tobytes())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    prepared = prepare(source)

    image = decoded(prepared)
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"SN-4242-SECRET" not in prepared.data and b"Fujifilm" not in prepared.data


def test_a_heic_photo_is_turned_upright_by_its_exif_orientation() -> None:
    stored = Image.new("RGB", (1000, 900), BLUE)
    stored.paste(RED, (0, 0, 1000, 450))
    source = encoded(stored, "HEIF", quality=95, exif=camera_exif(orientation=6).tobytes())

    image = decoded(instagram_derivative(source))

    assert image.size == (900, 1000)
    assert close_to(image.getpixel((850, 500)), RED, tolerance=30)


# A Photoshop file's header (signature, version 1, six reserved bytes, 3 channels, 900×900,
# 8 bits, RGB): enough for Pillow to recognise one.
PSD_HEADER = (
    b"8BPS\x00\x01" + bytes(6) + b"\x00\x03" + (900).to_bytes(4, "big") * 2 + b"\x00\x08\x00\x03"
)

REFUSALS = {
    "zero-byte": (lambda: b"", "the file is empty"),
    "non-image": (lambda: b"%PDF-1.7 quarterly report", "not a readable image"),
    "truncated-jpeg": (lambda: photo(1200, 900)[:-400], "not a readable image"),
    "truncated-png": (lambda: encoded(red_square(), "PNG")[:300], "not a readable image"),
    "corrupt-jpeg": (
        lambda: photo(1200, 900)[:600] + bytes(2000) + photo(1200, 900)[2600:],
        "not a readable image",
    ),
    "decompression-bomb": (lambda: png_bomb(11_000, 10_000), "more pixels than the 100 MP"),
    "huge-bomb": (lambda: png_bomb(40_000, 40_000), "more pixels than the 100 MP"),
    "too-small": (lambda: photo(200, 150), "too small to post"),
    "tiff": (lambda: encoded(red_square(), "TIFF"), "in the TIFF format, not one feedpub posts"),
    "bmp": (lambda: encoded(red_square(), "BMP"), "in the BMP format, not one feedpub posts"),
    "gif": (lambda: encoded(red_square(), "GIF"), "in the GIF format, not one feedpub posts"),
    "psd": (lambda: PSD_HEADER, "in the PSD format, not one feedpub posts"),
}


@pytest.mark.parametrize("prepare", PREPARATIONS)
@pytest.mark.parametrize(("make", "reason"), REFUSALS.values(), ids=REFUSALS.keys())
def test_each_bad_file_is_refused_with_a_plain_reason(
    make: Callable[[], bytes], reason: str, prepare: Callable[[bytes], PreparedImage]
) -> None:
    with pytest.raises(InvalidPhoto, match=reason):
        prepare(make())
