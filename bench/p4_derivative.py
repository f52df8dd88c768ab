"""P4: a 24 MP JPEG to the Instagram derivative, ours against plain Pillow, in the same run.

    .venv/bin/python -m bench.p4_derivative [--rounds 7]

Ours: ``imaging.derivatives.instagram_derivative`` (the JPEG decoded at reduced size with
``draft``, then a small bilinear step to 1440 px, sRGB, metadata-free JPEG). Plain: full
decode, LANCZOS resize, same JPEG settings. Prints both medians, the speed-up, and how alike
the two outputs are (PSNR and SSIM on the luma channel). Goal: ≥ 4× faster at equal look.
The last line is the figure.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from scipy.ndimage import uniform_filter

from mcp_servers.feed_publisher.imaging.derivatives import instagram_derivative

GRAIN = 3.0
"""Sensor noise (standard deviation in grey levels) of the made-up photo: base-ISO grain."""


def camera_photo(width: int = 6000, height: int = 4000) -> bytes:
    """A 24 MP JPEG with photo-like content: shapes, gradients, fine grain and edges."""
    rng = np.random.default_rng(24)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [120 + 80 * np.sin(x / 700), 110 + 70 * np.cos(y / 500), 100 + 60 * np.sin((x + y) / 900)],
        axis=-1,
    )
    grain = rng.normal(0, GRAIN, (height, width, 1)).astype(np.float32)
    image = Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for number in range(60):
        left, top = rng.integers(0, width - 600), rng.integers(0, height - 600)
        size = int(rng.integers(80, 600))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        draw.rectangle((left, top, left + size, top + size // 2), outline=colour, width=6)
        draw.text((left + 10, top + 10), f"detail {number}", fill=colour)
    image = image.filter(ImageFilter.UnsharpMask(2, 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def plain_pillow(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    width = 1440
    image = image.resize(
        (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def ours(data: bytes) -> bytes:
    return instagram_derivative(data).data


def median_seconds(prepare: Callable[[bytes], bytes], data: bytes, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        prepare(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def luma(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float64)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM with 7×7 windows (Wang et al. 2004 constants)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mean_a, mean_b = uniform_filter(a, 7), uniform_filter(b, 7)
    var_a = uniform_filter(a * a, 7) - mean_a**2
    var_b = uniform_filter(b * b, 7) - mean_b**2
    cov = uniform_filter(a * b, 7) - mean_a * mean_b
    index = ((2 * mean_a * mean_b + c1) * (2 * cov + c2)) / (
        (mean_a**2 + mean_b**2 + c1) * (var_a + var_b + c2)
    )
    return float(index.mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data = camera_photo()
    print(f"source: 6000×4000 JPEG, {len(data) / 1e6:.1f} MB")
    ours(data), plain_pillow(data)  # warm up: imports, first allocations
    fast = median_seconds(ours, data, args.rounds)
    slow = median_seconds(plain_pillow, data, args.rounds)
    a, b = luma(ours(data)), luma(plain_pillow(data))
    print(f"ours  (draft decode + resize): median {fast * 1000:.0f} ms over {args.rounds} rounds")
    print(f"plain (full decode + LANCZOS): median {slow * 1000:.0f} ms over {args.rounds} rounds")
    print(f"outputs: {a.shape[1]}×{a.shape[0]} and {b.shape[1]}×{b.shape[0]}")
    print(
        f"P4 speed-up {slow / fast:.1f}x (goal >= 4x); ours {fast * 1000:.0f} ms vs plain "
        f"{slow * 1000:.0f} ms; PSNR {psnr(a, b):.1f} dB, SSIM {ssim(a, b):.3f}"
    )


if __name__ == "__main__":
    main()
