"""Reading and decoding a brand's photo within the feed-publisher's memory.

What one server holds is bounded by its outputs, not by what brands upload:

- a photo file larger than ``MAX_PHOTO_BYTES`` is refused before it is read;
- the photo files in memory at once take at most ``MAX_PHOTO_BYTES`` together: one file of
  the largest size allowed, or several smaller ones; the others wait their turn;
- the decodes running at once take at most ``DECODE_MEMORY`` together, each what its header
  says it will need (imaging.memory); a photo that would need more alone is refused;
- each decode is counted in the ledger while it runs, so that a photo that takes the server
  down is refused after two tries (decode_attempts);
- a photo is decoded for Claude once per version of its file: a later look serves what the
  first one stored (looks).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio
from botocore.exceptions import ClientError

from feedpub.brands import Brand

from ..imaging import derivatives
from ..imaging.derivatives import PreparedImage
from ..imaging.facts import PhotoFacts
from ..imaging.headers import InvalidPhoto
from ..imaging.memory import DECODE_MEMORY, MIB
from ..imaging.memory_budget import MemoryBudget
from .decode_attempts import DecodeAttempts
from .keys import check_publishable_name, checked_photo_key, prepared_key
from .looks import StoredLooks, TwinHeld
from .photos import PhotoLibrary, is_missing

__all__ = ["PhotoWork"]

# A photo deleted from S3 since it was listed is unusable (rejected), not an outage.
_DELETED = "the file was deleted from S3"
_T = TypeVar("_T")


class PhotoWork:
    def __init__(
        self,
        *,
        library: PhotoLibrary,
        attempts: DecodeAttempts,
        looks: StoredLooks,
        max_photo_bytes: int,
    ) -> None:
        self._library = library
        self._attempts = attempts
        self._looks = looks
        self._max_photo_bytes = max_photo_bytes
        self.files = MemoryBudget(max_photo_bytes)
        self.decodes = MemoryBudget(DECODE_MEMORY)

    async def look(self, brand: Brand, key: str) -> tuple[bytes, PhotoFacts]:
        """Claude's copy (a JPEG) of the brand's photo ``key`` and the facts measured on it,
        recorded in its ledger row; InvalidPhoto if it is unusable or a near-duplicate of a
        posted one, TwinHeld if it is a near-duplicate of one another run holds."""
        check_publishable_name(brand.s3_prefix, key)
        key = checked_photo_key(brand, key)
        size, etag = await self._head(key)
        looked = await self._looks.find(brand, key, etag)
        if looked is None:
            memory, work = derivatives.look_memory, derivatives.look
            (copy, facts), etag = await self._decoded(
                brand.name, key, size, memory=memory, work=work, proves=False
            )
            await self._looks.keep(brand, key, etag, copy.data, facts)
            looked = copy.data, facts
        twin = await self._looks.near_duplicate(brand.name, key, looked[1].phash)
        if twin is not None and twin.held:
            raise TwinHeld(twin.key)
        if twin is not None:
            raise InvalidPhoto(f"near-duplicate of {twin.key}", "near-duplicate")
        return looked

    async def prepare_for_instagram(self, brand: Brand, key: str) -> tuple[str, PreparedImage]:
        """Write the Instagram-ready JPEG of the brand's photo ``key`` next to it in S3, cropped
        or padded as the brand's ``image`` settings say; its key and the image."""
        fit, background = brand.image.fit, brand.image.pad_rgb
        check_publishable_name(brand.s3_prefix, key)
        prepared = await self.run(
            brand.name,
            checked_photo_key(brand, key),
            memory=partial(derivatives.derivative_memory, fit=fit),
            work=partial(derivatives.instagram_derivative, fit=fit, background=background),
            proves=True,
        )
        media_key = prepared_key(brand.s3_prefix, key)
        await self._library.write(media_key, prepared.data, "image/jpeg")
        return media_key, prepared

    async def run(
        self,
        brand: str,
        key: str,
        *,
        memory: Callable[[bytes], int],
        work: Callable[[bytes], _T],
        proves: bool,
    ) -> _T:
        """``work`` done in a thread on the bytes of the photo ``key``, once the memory it
        needs (``memory``: from the photo's header) is free; InvalidPhoto if refused.

        Args:
            proves: A success of ``work`` proves that the photo decodes (decode_attempts).
        """
        size, _ = await self._head(key)
        done, _ = await self._decoded(brand, key, size, memory=memory, work=work, proves=proves)
        return done

    async def _decoded(
        self,
        brand: str,
        key: str,
        size: int,
        *,
        memory: Callable[[bytes], int],
        work: Callable[[bytes], _T],
        proves: bool,
    ) -> tuple[_T, str]:
        """As ``run`` on the photo ``key`` of ``size`` bytes; with the ETag of the bytes read."""
        async with self.files.held(size):
            data, etag = await self._read(key)
            needed = await asyncio.to_thread(memory, data)
            async with self.decodes.held(needed):
                # Once begun, a decode runs to its end even if its caller gives up: its memory
                # and its count in the ledger are given back only when it is over.
                with anyio.CancelScope(shield=True):
                    await self._attempts.started(brand, key)
                    try:
                        done = await asyncio.to_thread(work, data)
                    except BaseException:
                        await self._attempts.finished(brand, key, proven=False)
                        raise
                    await self._attempts.finished(brand, key, proven=proves)
        return done, etag

    async def _head(self, key: str) -> tuple[int, str]:
        try:
            size, etag = await self._library.head(key)
        except ClientError as exc:
            if not is_missing(exc):
                raise
            raise InvalidPhoto(_DELETED, "deleted") from None
        if size > self._max_photo_bytes:
            raise InvalidPhoto(
                f"the file is {size / MIB:.0f} MB, larger than the "
                f"{self._max_photo_bytes / MIB:.0f} MB feedpub reads (MAX_PHOTO_BYTES)",
                "file-too-large",
            )
        return size, etag

    async def _read(self, key: str) -> tuple[bytes, str]:
        try:
            found = await self._library.fetch(key)
        except ClientError as exc:
            if not is_missing(exc):
                raise
            raise InvalidPhoto(_DELETED, "deleted") from None
        return found.data, found.etag
