"""Photo kinds of the R4 bench: files a brand could put in its folder, each fed to the real
feed-publisher server as a run would (view_image, then prepare_instagram_media).

Heavy but legal photos are accepted, within the server's memory; everything else is refused
with its reason. Files are made here, in memory: flat colours and gradients compress to a
few hundred KB whatever their pixel count, as a decompression bomb does.
"""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from collections.abc import Callable

import pillow_heif
import psycopg
from PIL import Image

from .hostile_kinds import Attempt, HostileBench, HostileKind, Outcome

__all__ = ["PHOTO_KINDS"]

pillow_heif.register_heif_opener()  # HEIC photos are made here too

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PSD = b"8BPS\x00\x01" + bytes(6) + b"\x00\x03" + (900).to_bytes(4, "big") * 2 + b"\x00\x08\x00\x03"
MB = 1024 * 1024


def encoded(size: tuple[int, int], format: str, mode: str = "RGB", **options: object) -> bytes:
    """A gradient picture of ``size`` in ``format``."""
    image = Image.linear_gradient("L").resize(size)
    if mode == "I;16":
        image = image.convert("I").point(lambda value: value * 257).convert("I;16")
    else:
        image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def padded(data: bytes, total: int) -> bytes:
    """``data`` followed by zero bytes up to ``total``: a file that large whose picture is small
    (bytes after a JPEG's end are ignored by readers)."""
    return data + bytes(total - len(data))


def png_header_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    real = encoded((8, 8), "PNG", "L")
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return real[:8] + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + real[33:]


def jpeg_header_claiming(width: int, height: int) -> bytes:
    data = bytearray(encoded((64, 64), "JPEG"))
    frame = data.find(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def photo_kind(
    name: str,
    make: Callable[[], bytes],
    *,
    refused_because: str | None,
    fit: str = "crop",
    suffix: str = ".jpg",
) -> HostileKind:
    """A file of a crop or pad brand, looked at and (if that passes) prepared for Instagram."""

    def stage(bench: HostileBench) -> Attempt:
        brand = "r4pad" if fit == "pad" else "r4crop"
        data = make()
        key = f"{brand}/{name}-{uuid.uuid4().hex[:6]}{suffix}"
        bench.s3.put_object(Bucket=bench.bucket, Key=key, Body=data)
        with psycopg.connect(bench.stack.database_url) as conn:
            conn.execute(
                "INSERT INTO photos (brand, key, size_bytes) VALUES (%s, %s, %s)",
                (brand, key, len(data)),
            )

        async def attempt() -> Outcome:
            for tool in ("view_image", "prepare_instagram_media"):
                answer = await bench.call(tool, {"brand": brand, "key": key})
                if isinstance(answer, Outcome):
                    return answer
            return Outcome(refused=False)

        return attempt

    return HostileKind(name, stage, refused_because)


SHAPE = "no crop or padding makes a post of it"
PIXELS = "more pixels than"
FORMAT = "not one feedpub posts"
UNREADABLE = "not a readable image"

PHOTO_KINDS = [
    # Shapes: a strip up to 40 times as long as it is wide is framed, a longer one refused.
    *(
        photo_kind(f"tall-png-{fit}", lambda: encoded((320, 10_000), "PNG"), fit=fit,
                   refused_because=None, suffix=".png")
        for fit in ("crop", "pad")
    ),
    *(
        photo_kind(f"wide-png-{fit}", lambda: encoded((10_000, 320), "PNG"), fit=fit,
                   refused_because=None, suffix=".png")
        for fit in ("crop", "pad")
    ),
    photo_kind("strip-png-pad", lambda: encoded((320, 100_000), "PNG", "L"), fit="pad",
               refused_because=SHAPE, suffix=".png"),
    photo_kind("strip-png-crop", lambda: encoded((100_000, 320), "PNG", "L"),
               refused_because=SHAPE, suffix=".png"),
    # A strip just wider than a post, cropped: shrunk whole first, it is nearly as large again.
    photo_kind("tall-png-24mp-crop", lambda: encoded((1_500, 16_000), "PNG"),
               refused_because=PIXELS, suffix=".png"),
    photo_kind("tall-jpeg-22mp-crop", lambda: encoded((1_400, 16_000), "JPEG"),
               refused_because=None),
    # 100 MP: a JPEG is decoded at an eighth; other formats far above their caps.
    photo_kind("jpeg-100mp", lambda: encoded((10_000, 10_000), "JPEG"), refused_because=None),
    photo_kind("jpeg-100mp-pad", lambda: encoded((10_000, 10_000), "JPEG"), fit="pad",
               refused_because=None),
    photo_kind("progressive-jpeg-100mp", lambda: encoded((10_000, 10_000), "JPEG",
               progressive=True), refused_because=PIXELS),
    photo_kind("png-100mp", lambda: encoded((10_000, 10_000), "PNG"), refused_because=PIXELS,
               suffix=".png"),
    photo_kind("png-rgba-99mp", lambda: encoded((9_950, 9_950), "PNG", "RGBA"),
               refused_because=PIXELS, suffix=".png"),
    photo_kind("webp-98mp", lambda: encoded((16_383, 6_000), "WEBP", quality=80),
               refused_because=PIXELS, suffix=".webp"),
    photo_kind("heic-40mp", lambda: encoded((8_000, 5_000), "HEIF", quality=60),
               refused_because=PIXELS, suffix=".heic"),
    photo_kind("png-16bit-30mp", lambda: encoded((6_000, 5_000), "PNG", "I;16"),
               refused_because=PIXELS, suffix=".png"),
    photo_kind("cmyk-progressive-24mp", lambda: encoded((6_000, 4_000), "JPEG", "CMYK",
               progressive=True), refused_because=PIXELS),
    # The heaviest legal photos of each kind: decoded, one or two at a time.
    photo_kind("png-28mp", lambda: encoded((6_500, 4_300), "PNG"), refused_because=None,
               suffix=".png"),
    photo_kind("png-grey-81mp", lambda: encoded((9_000, 9_000), "PNG", "L"),
               refused_because=None, suffix=".png"),
    photo_kind("heic-24mp", lambda: encoded((5_712, 4_284), "HEIF", quality=60),
               refused_because=None, suffix=".heic"),
    photo_kind("progressive-jpeg-444-24mp", lambda: encoded((6_000, 4_000), "JPEG",
               progressive=True, subsampling=0), refused_because=None),
    # Files too large to read, and the largest read.
    photo_kind("jpeg-60mb", lambda: padded(encoded((4_000, 3_000), "JPEG"), 60 * MB),
               refused_because="feedpub reads (MAX_PHOTO_BYTES)"),
    photo_kind("jpeg-49mb", lambda: padded(encoded((4_000, 3_000), "JPEG"), 49 * MB),
               refused_because=None),
    # Decompression bombs: headers claiming far more than they hold.
    photo_kind("png-bomb-110mp", lambda: png_header_claiming(11_000, 10_000),
               refused_because=PIXELS, suffix=".png"),
    photo_kind("png-bomb-1600mp", lambda: png_header_claiming(40_000, 40_000),
               refused_because=PIXELS, suffix=".png"),
    photo_kind("jpeg-bomb-3600mp", lambda: jpeg_header_claiming(60_000, 60_000),
               refused_because=PIXELS),
    # Broken files (as in tests/stack/test_unusable_photos.py).
    photo_kind("empty", lambda: b"", refused_because="the file is empty"),
    photo_kind("truncated-jpeg", lambda: encoded((1200, 900), "JPEG")[:-400],
               refused_because=UNREADABLE),
    photo_kind("pdf-named-jpg", lambda: PDF, refused_because=UNREADABLE),
    photo_kind("text-named-png", lambda: b"name,price\nsuit,499\n", refused_because=UNREADABLE,
               suffix=".png"),
    photo_kind("tiny-webp", lambda: encoded((120, 90), "WEBP"), refused_because="too small",
               suffix=".webp"),
    # Formats feedpub does not post.
    photo_kind("tiff", lambda: encoded((2_000, 1_500), "TIFF"), refused_because=FORMAT,
               suffix=".tif"),
    photo_kind("bmp", lambda: encoded((2_000, 1_500), "BMP"), refused_because=FORMAT,
               suffix=".bmp"),
    photo_kind("gif", lambda: encoded((2_000, 1_500), "GIF"), refused_because=FORMAT,
               suffix=".gif"),
    photo_kind("psd", lambda: PSD, refused_because=FORMAT, suffix=".psd"),
]  # fmt: skip
