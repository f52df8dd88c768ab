"""Fetching and inspecting images the way Meta does when it is handed a URL or a file."""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass

import httpx
from PIL import Image, UnidentifiedImageError

# Larger than any limit Meta applies, so a size error can still be reported, yet bounded.
DOWNLOAD_LIMIT_BYTES = 32 * 1024 * 1024
DOWNLOAD_TIMEOUT_SECONDS = 10.0


class ImageFetchError(Exception):
    """The image URL could not be downloaded."""


@dataclass(frozen=True)
class ImageInfo:
    """What the rules look at: format, pixel size, animation, byte size and fingerprint."""

    format: str | None
    """Pillow's format name (``JPEG``, ``PNG``...), ``None`` when the bytes are no image."""
    width: int
    height: int
    animated: bool
    size: int
    sha256: str


async def fetch_image(url: str) -> bytes:
    """Download ``url`` as Meta's crawler would.

    Raises:
        ImageFetchError: not an http(s) URL, a non-200 answer, a network error or an
            oversized body.
    """
    if not url.startswith(("http://", "https://")):
        raise ImageFetchError("the URL is not an http(s) URL")
    try:
        async with (
            httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT_SECONDS, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise ImageFetchError(f"the server answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > DOWNLOAD_LIMIT_BYTES:
                    raise ImageFetchError("the file is larger than the crawler accepts")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise ImageFetchError(f"{type(exc).__name__}: {exc}") from exc


def inspect_image(data: bytes) -> ImageInfo:
    """Identify ``data`` without decoding every pixel."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        with Image.open(io.BytesIO(data)) as image:
            animated = bool(getattr(image, "is_animated", False))
            return ImageInfo(image.format, image.width, image.height, animated, len(data), digest)
    except (UnidentifiedImageError, OSError):
        return ImageInfo(None, 0, 0, False, len(data), digest)


async def inspect_image_async(data: bytes) -> ImageInfo:
    """``inspect_image`` on a worker thread: Pillow blocks."""
    return await asyncio.to_thread(inspect_image, data)
