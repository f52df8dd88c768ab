"""Memory bounded by the output, not by the input: a photo is shrunk before it is framed,
a strip no frame can make a post of is refused, and each format is refused from its header
above the pixels it can be decoded with in the feed-publisher's memory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from mcp_servers.feed_publisher.imaging.derivatives import (
    derivative_memory,
    instagram_derivative,
    look_memory,
)
from mcp_servers.feed_publisher.imaging.headers import InvalidPhoto
from mcp_servers.feed_publisher.imaging.memory import DECODE_MEMORY

from .photo_files import RED, claude_copy, encoded, jpeg_claiming, png_bomb

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024

# Run alone in a fresh interpreter: its peak resident memory is the derivative's alone.
_PEAK_OF_A_PADDED_DERIVATIVE = """
import resource, sys
from mcp_servers.feed_publisher.imaging.derivatives import instagram_derivative
from tests.unit.photo_files import photo
data = sys.stdin.buffer.read()
instagram_derivative(photo(400, 500), fit="pad")  # the first call's one-off allocations
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
instagram_derivative(data, fit="pad")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_small_tall_png_for_a_padding_brand_is_prepared_within_the_memory_of_its_post() -> None:
    tall = encoded(Image.new("RGB", (320, 10_000), RED), "PNG")  # 30 KB

    grown = subprocess.run(
        [sys.executable, "-c", _PEAK_OF_A_PADDED_DERIVATIVE],
        input=tall,
        capture_output=True,
        check=True,
        cwd=ROOT,
    )

    # The photo decoded is 12 MB and the post 1440×1800 px, 10 MB; padded before it was
    # shrunk, the canvas was 8000×10000 px: 320 MB.
    assert int(grown.stdout) * 1024 < 64 * MIB


PREPARATIONS: list[Callable[[bytes], Any]] = [
    claude_copy,
    instagram_derivative,
    lambda data: instagram_derivative(data, fit="pad"),
]


@pytest.mark.parametrize("prepare", PREPARATIONS, ids=["claude", "crop", "pad"])
@pytest.mark.parametrize("size", [(320, 100_000), (100_000, 320), (400, 16_100)])
def test_a_strip_no_frame_can_make_a_post_of_is_refused_with_its_reason(
    prepare: Callable[[bytes], Any], size: tuple[int, int]
) -> None:
    with pytest.raises(InvalidPhoto, match="no crop or padding makes a post of it") as refused:
        prepare(png_bomb(*size))

    assert refused.value.cause == "unusable-shape"
    assert f"{size[0]}×{size[1]} px" in str(refused.value)


def test_a_strip_40_times_as_long_as_it_is_wide_is_still_posted() -> None:
    assert instagram_derivative(encoded(Image.new("L", (320, 12_800)), "PNG"), fit="pad")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            png_bomb(6000, 5000, colour_type=6),
            "the PNG image has 30 MP, more pixels than the 17 MP",
        ),
        (
            png_bomb(7000, 5000, colour_type=2),
            "the PNG image has 35 MP, more pixels than the 28 MP",
        ),
        (
            jpeg_claiming(10_000, 7_000, progressive=True),
            "the progressive JPEG image has 70 MP, more pixels than the 55 MP",
        ),
    ],
    ids=["png-with-alpha", "png", "progressive-jpeg"],
)
@pytest.mark.parametrize("memory", [look_memory, lambda data: derivative_memory(data, "crop")])
def test_a_photo_with_more_pixels_than_its_format_decodes_in_memory_is_refused_from_its_header(
    data: bytes, reason: str, memory: Callable[[bytes], int]
) -> None:
    with pytest.raises(InvalidPhoto, match=reason) as refused:
        memory(data)

    assert refused.value.cause == "too-many-pixels"


def test_a_100_mp_jpeg_fits_the_decode_memory_as_libjpeg_reduces_it_while_decoding() -> None:
    huge = jpeg_claiming(10_000, 10_000)

    assert look_memory(huge) < DECODE_MEMORY / 4
    assert derivative_memory(huge, "crop") < DECODE_MEMORY / 3
    assert derivative_memory(png_bomb(5000, 5000, colour_type=2), "crop") > DECODE_MEMORY / 2


def test_a_strip_cropped_for_instagram_counts_its_copy_shrunk_whole_before_the_crop() -> None:
    # 1500×16000: shrunk whole to 1440×15360 before its window is cut, a copy nearly as large
    # as the photo (measured: 239 MiB at its peak); padded, it shrinks to the post's size.
    strip = png_bomb(1500, 16_000, colour_type=2)

    with pytest.raises(InvalidPhoto, match="the PNG image has 24 MP, more pixels than"):
        derivative_memory(strip, "crop")
    assert derivative_memory(strip, "pad") < DECODE_MEMORY
