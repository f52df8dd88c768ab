"""Facts measured on a photo for the caption and the report, and the perceptual hash that
recognises the same picture after a resize or recompression."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

from mcp_servers.feed_publisher.imaging.derivatives import look
from mcp_servers.feed_publisher.imaging.facts import NEAR_DUPLICATE_DISTANCE, hash_distance

from .photo_files import encoded, photo


def scene(seed: int, size: tuple[int, int] = (3000, 2000)) -> Image.Image:
    """A photo-like picture: shapes whose places and colours depend on ``seed``."""
    image = Image.new("RGB", size, (200, 190, 170))
    draw = ImageDraw.Draw(image)
    width, height = size
    for number in range(12):
        value = (seed * 7919 + number * 104729) % 1000
        left, top = value * width // 1400, (value * 37 % 1000) * height // 1400
        colour = ((value * 3) % 256, (value * 5) % 256, (value * 11) % 256)
        draw.ellipse((left, top, left + width // 5, top + height // 4), fill=colour)
    return image


def test_facts_give_the_originals_size_orientation_light_and_main_colour() -> None:
    _, facts = look(photo(6000, 4000, colour=(200, 30, 30)))

    assert (facts.width, facts.height, facts.orientation) == (6000, 4000, "landscape")
    red, green, blue = bytes.fromhex(facts.dominant_colours[0][1:])
    assert abs(red - 200) < 6 and abs(green - 30) < 6 and abs(blue - 30) < 6
    assert 0.2 < facts.brightness < 0.4


def test_a_resized_recompressed_copy_has_a_near_identical_hash() -> None:
    original = scene(1)
    copy = original.resize((1200, 800)).filter(ImageFilter.GaussianBlur(1))

    _, first = look(encoded(original, quality=95))
    _, second = look(encoded(copy, quality=60))

    assert first.phash and second.phash
    assert hash_distance(first.phash, second.phash) <= NEAR_DUPLICATE_DISTANCE


def test_another_photo_has_a_distant_hash() -> None:
    _, first = look(encoded(scene(1)))
    _, second = look(encoded(scene(2)))

    assert first.phash and second.phash
    assert hash_distance(first.phash, second.phash) > NEAR_DUPLICATE_DISTANCE


def test_a_featureless_photo_has_no_hash_to_compare() -> None:
    _, facts = look(photo(1200, 900))

    assert facts.phash is None


def test_a_blurred_photo_measures_less_sharp_than_the_original() -> None:
    original = scene(3, (1500, 1000))
    blurred = original.filter(ImageFilter.GaussianBlur(4))

    _, sharp = look(encoded(original, quality=95))
    _, soft = look(encoded(blurred, quality=95))

    assert soft.sharpness < sharp.sharpness / 2


def test_the_copy_for_claude_is_a_jpeg_of_the_photo() -> None:
    copy, _ = look(encoded(scene(4)))

    assert Image.open(io.BytesIO(copy.data)).format == "JPEG"
