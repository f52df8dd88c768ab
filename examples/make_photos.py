"""Generate the example photos under examples/photos/<brand>/ (run once; the output is committed).

They are drawn here, so they carry no third-party licence: CC0, like the rest of examples/.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).parent / "photos"
PALETTES = {
    "pomandi": [(24, 38, 64), (176, 141, 87), (233, 226, 214)],
    "costume": [(60, 20, 30), (198, 170, 120), (240, 236, 228)],
}
SHOTS = [
    ("suit-portrait.jpg", (1080, 1350)),
    ("window-landscape.jpg", (2400, 1600)),
    ("detail-square.png", (1200, 1200)),
    ("tall-mirror.jpg", (1000, 2200)),
]


def draw(size: tuple[int, int], palette: list[tuple[int, int, int]], seed: int) -> Image.Image:
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, palette[2])
    pen = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        pen.line(
            [(0, y), (width, y)],
            fill=tuple(
                int(a * (1 - t) + b * t) for a, b in zip(palette[2], palette[1], strict=True)
            ),
        )
    cx = width // 2 + rng.randint(-width // 8, width // 8)
    pen.rectangle(
        [cx - width // 6, height // 4, cx + width // 6, height - height // 10], fill=palette[0]
    )
    pen.ellipse(
        [cx - width // 14, height // 10, cx + width // 14, height // 10 + width // 7],
        fill=palette[1],
    )
    for _ in range(40):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(4, width // 40)
        pen.ellipse([x - r, y - r, x + r, y + r], fill=palette[rng.randrange(3)])
    return image.filter(ImageFilter.GaussianBlur(1.2))


def main() -> None:
    for brand, palette in PALETTES.items():
        folder = OUT / brand
        folder.mkdir(parents=True, exist_ok=True)
        for index, (name, size) in enumerate(SHOTS):
            image = draw(size, palette, seed=zlib.crc32(f"{brand}-{index}".encode()))
            if name.endswith(".png"):
                image.save(folder / name, optimize=True)
            else:
                image.save(folder / name, quality=82)


if __name__ == "__main__":
    main()
