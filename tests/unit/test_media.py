"""Image preparation: Instagram's size and ratio rules, no metadata, Claude's size limits."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import ExifTags, Image

from mcp_servers.feed_publisher.imaging.derivatives import PreparedImage, instagram_derivative
from mcp_servers.feed_publisher.imaging.framing import INSTAGRAM_MAX_RATIO, INSTAGRAM_MIN_RATIO
from mcp_servers.feed_publisher.imaging.headers import InvalidPhoto

from .photo_files import BLUE, RED, camera_exif, claude_copy, encoded, photo


def opened(prepared: PreparedImage) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    assert image.size == (prepared.width, prepared.height)
    return image


def close_to(pixel: object, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_instagram_derivative_is_a_jpeg_at_most_1440_wide() -> None:
    prepared = instagram_derivative(photo(2880, 2160))

    image = opened(prepared)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (1440, 1080)


def test_instagram_derivative_keeps_a_fitting_photo_at_its_size() -> None:
    assert opened(instagram_derivative(photo(1080, 1350))).size == (1080, 1350)


@pytest.mark.parametrize(
    ("width", "height", "expected_ratio"),
    [
        (1000, 5000, INSTAGRAM_MIN_RATIO),
        (2001, 4000, INSTAGRAM_MIN_RATIO),
        (6000, 1000, INSTAGRAM_MAX_RATIO),
        (3333, 700, INSTAGRAM_MAX_RATIO),
    ],
)
def test_very_tall_and_very_wide_photos_are_cropped_into_instagram_ratios(
    width: int, height: int, expected_ratio: float
) -> None:
    image = opened(instagram_derivative(photo(width, height)))

    ratio = image.width / image.height
    assert INSTAGRAM_MIN_RATIO <= ratio <= INSTAGRAM_MAX_RATIO
    assert ratio == pytest.approx(expected_ratio, abs=0.01)
    assert image.width <= 1440


@pytest.mark.parametrize("prepare", [instagram_derivative, claude_copy])
def test_camera_metadata_and_gps_position_never_leave(
    prepare: Callable[[bytes], PreparedImage],
) -> None:
    source = encoded(Image.new("RGB", (1600, 1200), RED), exif=camera_exif())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    prepared = prepare(source)

    image = opened(prepared)
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif\x00\x00" not in prepared.data
    assert b"Fujifilm" not in prepared.data


@pytest.mark.parametrize("prepare", [instagram_derivative, claude_copy])
def test_a_jpeg_comment_never_leaves(prepare: Callable[[bytes], PreparedImage]) -> None:
    source = encoded(Image.new("RGB", (1600, 1200), RED), comment=b"SN-4242-SECRET 50.85N")

    prepared = prepare(source)

    assert "comment" not in opened(prepared).info
    assert b"SN-4242" not in prepared.data


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    # Stored landscape, top half red; orientation 6 means "rotate 90° clockwise to view",
    # so the viewer sees a portrait photo whose right half is red.
    stored = Image.new("RGB", (1000, 900), BLUE)
    stored.paste(RED, (0, 0, 1000, 450))

    image = opened(instagram_derivative(encoded(stored, exif=camera_exif(orientation=6)))).convert(
        "RGB"
    )

    assert image.size == (900, 1000)
    assert close_to(image.getpixel((850, 500)), RED)
    assert close_to(image.getpixel((50, 500)), BLUE)


def test_a_transparent_png_becomes_an_rgb_jpeg_on_white() -> None:
    logo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    logo.paste((*BLUE, 255), (200, 200, 600, 600))

    image = opened(instagram_derivative(encoded(logo, format="PNG")))

    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert close_to(image.getpixel((20, 20)), (255, 255, 255))
    assert close_to(image.getpixel((400, 400)), BLUE)


@pytest.mark.parametrize("prepare", [instagram_derivative, claude_copy])
def test_a_photo_narrower_than_320_px_is_refused_as_too_small(
    prepare: Callable[[bytes], PreparedImage],
) -> None:
    with pytest.raises(InvalidPhoto, match=r"300×360 px, too small to post"):
        prepare(photo(300, 360))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"this is not an image, it is a shopping list", "not a readable image"),
        (photo(1200, 900)[:-200], "not a readable image"),
    ],
    ids=["empty", "garbage", "truncated-jpeg"],
)
@pytest.mark.parametrize("prepare", [instagram_derivative, claude_copy])
def test_an_unreadable_file_is_refused_with_a_plain_reason(
    prepare: Callable[[bytes], PreparedImage], data: bytes, reason: str
) -> None:
    with pytest.raises(InvalidPhoto) as caught:
        prepare(data)

    assert reason in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_claude_copy_of_a_24_megapixel_photo_fits_claudes_limits() -> None:
    image = opened(claude_copy(photo(6000, 4000)))

    assert image.format == "JPEG"
    assert max(image.size) <= 1568
    assert image.width * image.height <= 1_150_000
    assert image.width / image.height == pytest.approx(1.5, abs=0.01)


def test_claude_copy_of_a_long_narrow_photo_is_limited_by_its_long_edge() -> None:
    image = opened(claude_copy(photo(4000, 400)))

    assert image.size == (1568, 156)


def test_claude_copy_keeps_a_small_photo_at_its_size() -> None:
    assert opened(claude_copy(photo(800, 600))).size == (800, 600)
