"""Instagram's ratios: a crop that keeps the detailed part, or bands of the brand's colour;
and every derivative, whatever its shape, is one the Instagram emulator accepts."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from devstack.meta_emulator.images import inspect_image
from devstack.meta_emulator.rules import instagram_image_problem
from mcp_servers.feed_publisher.imaging.derivatives import instagram_derivative

from .photo_files import RED, encoded

BEIGE = (235, 225, 205)


def with_subject(size: tuple[int, int], box: tuple[int, int, int, int]) -> bytes:
    """A calm beige photo with a detailed subject (a checkerboard) inside ``box``."""
    image = Image.new("RGB", size, BEIGE)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = box
    for x in range(left, right, 20):
        for y in range(top, bottom, 20):
            if (x // 20 + y // 20) % 2:
                draw.rectangle((x, y, x + 19, y + 19), fill=(20, 20, 20))
    return encoded(image, quality=92)


def dark_pixels(image: Image.Image) -> int:
    return int((np.asarray(image.convert("L")) < 80).sum())


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_a_tall_photo_is_cropped_around_its_subject_near_the_top() -> None:
    source = with_subject((1000, 3000), (200, 100, 800, 700))

    image = opened(instagram_derivative(source).data)

    assert image.size == (1000, 1250)
    assert dark_pixels(image) == pytest.approx(dark_pixels(opened(source)), rel=0.02)


def test_a_wide_photo_is_cropped_around_its_subject_on_the_right() -> None:
    source = with_subject((4000, 1000), (3200, 200, 3900, 800))

    image = opened(instagram_derivative(source).data)

    assert image.width / image.height == pytest.approx(1.91, abs=0.01)
    scale = image.height / 1000
    assert dark_pixels(image) == pytest.approx(dark_pixels(opened(source)) * scale**2, rel=0.08)


def test_a_photo_without_a_clear_subject_is_cropped_in_the_centre() -> None:
    stripes = Image.new("RGB", (1000, 3000), RED)
    stripes.paste((20, 20, 220), (0, 1250, 1000, 1750))  # a band in the middle

    image = opened(instagram_derivative(encoded(stripes)).data)

    assert image.getpixel((500, 625))[2] > 150


def test_a_brand_that_pads_gets_bands_of_its_colour_and_the_whole_photo() -> None:
    source = encoded(Image.new("RGB", (1000, 3000), RED))

    image = opened(instagram_derivative(source, fit="pad", background=(10, 40, 80)).data)

    assert image.width / image.height == pytest.approx(0.8, abs=0.01)
    assert all(abs(a - b) < 12 for a, b in zip(image.getpixel((5, 500)), (10, 40, 80), strict=True))
    assert all(
        abs(a - b) < 24 for a, b in zip(image.getpixel((image.width // 2, 500)), RED, strict=True)
    )


@pytest.mark.parametrize("fit", ["crop", "pad"])
@pytest.mark.parametrize(
    "size",
    [
        (6000, 4000),
        (4000, 6000),
        (1080, 1350),
        (320, 1600),
        (8000, 1000),
        (3000, 3000),
        (5000, 321),
    ],
)
def test_every_derivative_passes_instagrams_image_rules(fit: str, size: tuple[int, int]) -> None:
    source = with_subject(size, (0, 0, size[0] // 3, size[1] // 3))

    prepared = instagram_derivative(source, fit=fit)

    assert instagram_image_problem(inspect_image(prepared.data)) is None
    assert 320 <= prepared.width <= 1440
