"""Photo files as brands upload them, made in memory: formats, metadata, colour profiles; and
Claude's copy of one, as view_image sends it."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

from mcp_servers.feed_publisher.imaging.derivatives import PreparedImage, look

RED = (220, 30, 30)
BLUE = (30, 30, 220)


def encoded(image: Image.Image, format: str = "JPEG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def photo(width: int, height: int, colour: tuple[int, int, int] = RED) -> bytes:
    return encoded(Image.new("RGB", (width, height), colour))


def claude_copy(data: bytes) -> PreparedImage:
    """The JPEG of ``data`` Claude looks at (≤ 1568 px, ≤ 1.15 MP), without its facts."""
    return look(data)[0]


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fujifilm"
    exif[ExifTags.Base.Model] = "X-T5"
    exif[ExifTags.Base.BodySerialNumber] = "SN-4242-SECRET"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (50.0, 51.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 21.0, 6.0),
    }
    return exif


def png_bomb(width: int, height: int, colour_type: int = 0) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels (8-bit grey, or RGB for
    ``colour_type`` 2, RGBA for 6)."""
    real = encoded(Image.new("L", (8, 8)), "PNG")
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    start = 8  # after the PNG signature: length, type, data, crc
    return (
        real[:start]
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + real[start + 8 + len(ihdr) + 4 :]
    )


def jpeg_claiming(width: int, height: int, **options: object) -> bytes:
    """A small JPEG whose header claims ``width`` × ``height`` pixels (``options``: Pillow's,
    e.g. ``progressive``, ``subsampling``)."""
    data = bytearray(encoded(Image.new("RGB", (64, 64), RED), **options))
    frame = max(data.find(b"\xff\xc0"), data.find(b"\xff\xc2"))  # the one present
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def swapped_primaries_profile() -> bytes:
    """An RGB ICC profile whose red is sRGB's blue and whose blue is sRGB's red.

    A pixel (255, 0, 0) tagged with it *is* blue: a converter that honours embedded profiles
    turns it blue, one that ignores them leaves it red.
    """
    d50 = (0.9642, 1.0, 0.8249)
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    text = b"swapped primaries\x00"
    tags = {
        b"desc": b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(4 + 4 + 3 + 67),
        b"wtpt": _xyz(d50),
        b"rXYZ": _xyz(blue),
        b"gXYZ": _xyz(green),
        b"bXYZ": _xyz(red),
        b"rTRC": _gamma(),
        b"gTRC": _gamma(),
        b"bTRC": _gamma(),
        b"cprt": b"text" + bytes(4) + b"none\x00\x00\x00\x00",
    }
    table_size = 4 + 12 * len(tags)
    offset, entries, body = 128 + table_size, b"", b""
    for signature, data in tags.items():
        data += bytes(-len(data) % 4)
        entries += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = 128 + table_size + len(body)
    header = struct.pack(">I4sI4s4s4s", size, b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += bytes(12) + b"acsp" + bytes(4 + 4 + 4 + 4 + 8 + 4) + _s15(d50) + bytes(4 + 16 + 28)
    return header + struct.pack(">I", len(tags)) + entries + body


def _s15(values: tuple[float, float, float]) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ " + bytes(4) + _s15(values)


def _gamma() -> bytes:
    return b"curv" + bytes(4) + struct.pack(">IH", 1, int(2.2 * 256)) + bytes(2)
