"""What the tools answer for a photo they cannot use, and the brand alert of the breaker.

An unusable photo is rejected for good, the tool fails PhotoRejected and the run takes
another. When it would be one photo too many refused in a row for the same cause, the breaker
(``rejections``) leaves it as it is instead: the tool fails PhotoRejectionsHalted, the run
stops and gives it back, and the brand's alert tells the operator what to do. A usable photo,
or rejected photos put back, end the alert.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.mcpserver.exceptions import ToolError

from feedpub.brands import Brand
from mcp_servers._errors import feed_error

from ..imaging.headers import InvalidPhoto
from .alerts import BrandAlerts
from .rejections import PhotoRejections, ReadmittedPhoto

__all__ = ["HALTED_ALERT", "PhotoRefusals", "halted_message"]

HALTED_ALERT = "photos:rejections-halted"
"""The brand alert raised when the breaker stops rejecting, cleared by a usable photo."""
_CAUSE_WORDS = {
    "empty": "the file is empty",
    "unreadable": "not a readable image",
    "too-small": "too small to post",
    "too-many-pixels": "more pixels than",
    "too-large": "8 MiB limit",
    "file-too-large": "MB feedpub reads",
    "unsupported-format": "not one feedpub posts",
    "unusable-shape": "no crop or padding",
    "decode-unfinished": "could not be decoded twice",
    "near-duplicate": "near-duplicate of",
    "deleted": "deleted from S3",
    "claude-refused": "Claude declined",
    "caption-contacts": "text in the photo steers the captions",
    "odd-name": "which cannot be published",
}
"""A part of every reason given for each cause: what ``feedpub photos readmit --reason``
matches them by."""


class PhotoRefusals:
    def __init__(self, rejections: PhotoRejections, alerts: BrandAlerts) -> None:
        self._rejections = rejections
        self._alerts = alerts

    @asynccontextmanager
    async def refusing_unusable(self, brand: Brand, key: str) -> AsyncIterator[None]:
        """The block's work on the brand's photo ``key``; if it finds the photo unusable
        (InvalidPhoto), the photo is refused and the tool fails with the refusal."""
        try:
            yield
        except InvalidPhoto as exc:
            raise await self._refuse(brand, key, str(exc), exc.cause) from None

    async def _refuse(self, brand: Brand, key: str, reason: str, cause: str) -> ToolError:
        """Reject the unusable photo and say so (PhotoRejected), unless it would be one photo
        too many refused in a row for the same cause (PhotoRejectionsHalted)."""
        limit = brand.rejections_in_a_row
        outcome = await self._rejections.reject(
            brand.name, key, reason, cause, limit=limit, run_id=None
        )
        if outcome == "halted":
            return await self._halted(brand, key, cause, reason)
        return feed_error("PhotoRejected", f"photo '{key}': {reason}", retryable=False, key=key)

    async def reject_held(
        self, brand: Brand, key: str, reason: str, cause: str, *, run_id: str
    ) -> bool:
        """Take the photo the run ``run_id`` holds out of rotation for good; True if the run
        held it. Fails PhotoRejectionsHalted where the breaker leaves it to the run."""
        limit = brand.rejections_in_a_row
        outcome = await self._rejections.reject(
            brand.name, key, reason, cause, limit=limit, run_id=run_id
        )
        if outcome == "halted":
            raise await self._halted(brand, key, cause, reason)
        return outcome == "rejected"

    async def photo_usable(self, brand: str) -> None:
        """A photo of the brand proved usable: its streak of refusals ends, and the alert."""
        if await self._rejections.end_streak(brand):
            await self._alerts.clear(brand, HALTED_ALERT)

    async def readmit(
        self, brand: str, *, keys: list[str] | None, reason_contains: str | None
    ) -> list[ReadmittedPhoto]:
        """Put rejected photos back (``PhotoRejections.readmit``); the brand's alert ends."""
        readmitted = await self._rejections.readmit(
            brand, keys=keys, reason_contains=reason_contains
        )
        await self._alerts.clear(brand, HALTED_ALERT)
        return readmitted

    async def _halted(self, brand: Brand, key: str, cause: str, reason: str) -> ToolError:
        """The photo is left to the run, which stops and gives it back (PhotoRejectionsHalted);
        the brand's alert tells the operator."""
        message = halted_message(brand.name, brand.rejections_in_a_row, cause, reason)
        await self._alerts.raise_alert(brand.name, HALTED_ALERT, message)
        return feed_error("PhotoRejectionsHalted", message, retryable=False, key=key)


def halted_message(brand: str, limit: int, cause: str, reason: str) -> str:
    """What the operator is told when the breaker stops rejecting the brand's photos."""
    words = _CAUSE_WORDS.get(cause, reason)
    return (
        f"{limit} photos of brand '{brand}' in a row were unusable for the same reason "
        f"({reason}); feedpub stopped rejecting them, as the fault may be its own. If those files "
        f"are broken, replace or delete them; if they are fine, put the rejected ones back with "
        f"`feedpub photos readmit {brand} --reason '{words}'`"
    )
