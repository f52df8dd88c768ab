"""Photo library activities, through the feed-publisher MCP server: reserve a photo (chosen from
what the brand's posts taught, read on the agent-outputs server), check and measure it,
prepare its Instagram copy, and mark it used, rejected or released."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Mapping
from dataclasses import asdict, fields

from mcp_types import CallToolResult, TextContent
from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.run import PhotoFacts
from feedpub.contract.tools import Photo, PreparedMedia

from ..mcp_client import McpConnection
from ..models import (
    ChosenPhoto,
    PhotoAnalysis,
    PhotoUseInput,
    PrepareMediaInput,
    RejectPhotoInput,
    ReservePhotoInput,
)
from ..photo_weights import AT_RANDOM, PhotoWeights, learned_weights, learning_off, unread

log = logging.getLogger(__name__)


def _facts(result: CallToolResult) -> PhotoFacts | None:
    """The facts ``view_image`` measured, from its JSON text block; None when it holds none
    that reads as facts (the report then shows none: a run does not fail for want of them)."""
    for block in result.content:
        if isinstance(block, TextContent):
            try:
                data = json.loads(block.text)
                known = {f.name for f in fields(PhotoFacts)}
                return PhotoFacts(**{k: v for k, v in data.items() if k in known})
            except (ValueError, TypeError, AttributeError):
                return None
    return None


def _reason(failure: Exception) -> str:
    said = failure.message if isinstance(failure, ApplicationError) else str(failure)
    return (said or type(failure).__name__)[:200]


class PhotoActivities:
    def __init__(
        self,
        feed_publisher: McpConnection,
        agent_outputs: McpConnection | None = None,
        brands: Mapping[str, Brand] | None = None,
    ) -> None:
        """Without ``agent_outputs`` and ``brands``, photos are reserved at random."""
        self._mcp = feed_publisher
        self._outputs = agent_outputs
        self._brands = brands or {}

    @activity.defn(name="reserve_photo")
    async def reserve_photo(self, request: ReservePhotoInput) -> ChosenPhoto:
        """Reserve a never-posted photo for the run, preferring the traits the brand's audience
        responded to (``photo_weights``); a retry gets the same photo."""
        choice = await self._weights(request)
        asked: dict[str, object] = {"avoid": request.avoid} if request.avoid else {}
        if choice.weights is not None:
            asked["weights"] = choice.weights
        photo = await self._mcp.ask(
            tools.GET_RANDOM_UNUSED_PHOTO, brand=request.brand, run_id=request.run_id, **asked
        )
        return ChosenPhoto(**asdict(photo), chosen=choice.chosen)

    async def _weights(self, request: ReservePhotoInput) -> PhotoWeights:
        brand = self._brands.get(request.brand)
        if brand is None or self._outputs is None:
            return PhotoWeights(None, AT_RANDOM)
        # Drawn from the run's id: a retry draws as the attempt that may have reserved already.
        rng = random.Random(f"{request.run_id}/{len(request.avoid)}")
        off = learning_off(brand)
        if off is not None:
            return off
        try:
            tastes = await self._outputs.ask(tools.GET_BRAND_TASTES, brand=brand.name)
        except Exception as failure:
            # The agent-outputs server away, say: the run posts all the same, and says why its
            # photo was taken at random.
            log.warning("the tastes of %s could not be read: %s", brand.name, failure)
            return unread(_reason(failure))
        return learned_weights(brand, tastes, rng)

    # Registered as ``analyze_photo``: recorded runs and the workflow's step know it by that name.
    @activity.defn(name="analyze_photo")
    async def check_photo(self, photo: Photo) -> PhotoAnalysis:
        """Check the photo can be used and measure it: the feed-publisher decodes it, rejects an
        unusable one (the run then takes another) and answers the facts it measured."""
        result = await self._mcp.call(tools.VIEW_IMAGE, {"brand": photo.brand, "key": photo.key})
        return PhotoAnalysis(description="", facts=_facts(result))

    @activity.defn(name="prepare_media")
    async def prepare_media(self, request: PrepareMediaInput) -> PreparedMedia:
        """Write the Instagram-ready JPEG to S3 and return its key."""
        return await self._mcp.ask(
            tools.PREPARE_INSTAGRAM_MEDIA, brand=request.brand, key=request.key
        )

    @activity.defn(name="mark_photo_used")
    async def mark_photo_used(self, request: PhotoUseInput) -> None:
        """Record that the photo was posted, so it is never offered again."""
        await self._mcp.call(
            tools.MARK_PHOTO_USED,
            {"brand": request.brand, "key": request.key, "run_id": request.run_id},
        )

    @activity.defn(name="reject_photo")
    async def reject_photo(self, request: RejectPhotoInput) -> None:
        """Take the run's photo out of rotation for good, with the reason."""
        await self._mcp.call(
            tools.REJECT_PHOTO,
            {
                "brand": request.brand,
                "key": request.key,
                "run_id": request.run_id,
                "reason": request.reason,
                "cause": request.cause,
            },
        )

    @activity.defn(name="release_photo")
    async def release_photo(self, request: PhotoUseInput) -> None:
        """Give the photo back: the run published nothing with it."""
        await self._mcp.call(
            tools.RELEASE_PHOTO,
            {"brand": request.brand, "key": request.key, "run_id": request.run_id},
        )
