"""The trait look's activities: which photos of a brand to look at, one Message Batch asking
Claude what each shows, and the answers stored in the ledger through the feed-publisher.

The model is the cheapest capable one (``CLAUDE_TRAITS_MODEL``); a batch costs half the
ordinary price. The SDK's retries are off: Temporal retries, as for the captions.
"""

from __future__ import annotations

from typing import Any, cast

import anthropic
from mcp_types import ImageContent
from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.contract import tools
from feedpub.contract.run import ClaudeUsage
from feedpub.contract.tools import PhotosToLook

from ..captions.pricing import combined, usage_of
from ..mcp_client import McpConnection
from ..observability.tracing import Tracing
from ..traits.look import custom_id_of, look_of, trait_look_request
from ..traits.models import (
    PhotosToLookInput,
    TraitsBatch,
    TraitsBatchOutcome,
    TraitsBatchRequest,
)
from .claude_errors import anthropic_failure

__all__ = ["TraitActivities"]

_UNUSABLE = {"PhotoRejected", "NearDuplicateHeld", "PhotoRejectionsHalted"}
"""A photo the feed-publisher will not show: it is left out of the batch."""


class TraitActivities:
    def __init__(
        self,
        feed_publisher: McpConnection,
        claude: anthropic.AsyncAnthropic,
        *,
        model: str,
        tracing: Tracing | None = None,
    ) -> None:
        self._mcp = feed_publisher
        self._claude = claude
        self._model = model
        self._tracing = tracing or Tracing()

    @activity.defn(name="photos_to_look_at")
    async def photos_to_look_at(self, request: PhotosToLookInput) -> PhotosToLook:
        """Unused photos of the brand with no traits, marked as asked about."""
        return await self._mcp.ask(
            tools.PHOTOS_TO_LOOK_AT, brand=request.brand, limit=request.limit
        )

    @activity.defn(name="submit_traits_batch")
    async def submit_traits_batch(self, photos: PhotosToLook) -> TraitsBatch:
        """Send one Message Batch asking what each photo shows. A photo the feed-publisher
        finds unusable (it is then rejected) is left out. A retry after a lost answer sends
        another batch: the first is paid for, at half price, and never looked at."""
        requests: list[Any] = []
        sent, not_sent = [], []
        for index, photo in enumerate(photos.photos):
            try:
                image = await self._image(photos.brand, photo.key)
            except ApplicationError as error:
                if error.type not in _UNUSABLE:
                    raise
                not_sent.append(f"{photo.key}: {error.message}")
                continue
            custom_id = custom_id_of(index, photo.key)
            requests.append(
                {"custom_id": custom_id, "params": trait_look_request(self._model, image)}
            )
            sent.append(TraitsBatchRequest(custom_id, photo.key, photo.etag))
        if not requests:
            return TraitsBatch(photos.brand, None, not_sent=not_sent)
        try:
            batch = await self._claude.messages.batches.create(requests=cast(Any, requests))
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
        return TraitsBatch(photos.brand, batch.id, sent, not_sent)

    async def _image(self, brand: str, key: str) -> dict[str, Any]:
        result = await self._mcp.call(tools.VIEW_IMAGE, {"brand": brand, "key": key})
        image = next((b for b in result.content if isinstance(b, ImageContent)), None)
        if image is None:
            raise ApplicationError("view_image returned no image", type="McpToolError")
        source = {"type": "base64", "media_type": image.mime_type, "data": image.data}
        return {"type": "image", "source": source}

    @activity.defn(name="collect_traits_batch")
    async def collect_traits_batch(self, batch: TraitsBatch) -> TraitsBatchOutcome:
        """Whether the batch has ended and, if it has, each answer stored as the photo's
        traits; an answer missing or refused is said with its photo. Storing again (a retry)
        stores the same."""
        if batch.batch_id is None:
            return TraitsBatchOutcome(ended=True)
        try:
            found = await self._claude.messages.batches.retrieve(batch.batch_id)
            if found.processing_status != "ended":
                return TraitsBatchOutcome(ended=False)
            results = {
                line.custom_id: line.result
                async for line in await self._claude.messages.batches.results(batch.batch_id)
            }
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
        outcome = TraitsBatchOutcome(ended=True)
        for request in batch.requests:
            result = results.get(request.custom_id)
            if result is None or result.type != "succeeded":
                why = "no answer" if result is None else f"the request {result.type}"
                outcome.not_stored.append(f"{request.key}: {why}")
                continue
            used = usage_of(self._model, result.message.usage, batch=True)
            outcome.usage = used if outcome.usage is None else combined(outcome.usage, used)
            problem = await self._store(batch.brand, request, result.message)
            if problem is None:
                outcome.stored += 1
            else:
                outcome.not_stored.append(f"{request.key}: {problem}")
        self._trace(outcome.usage, len(results))
        return outcome

    async def _store(self, brand: str, request: TraitsBatchRequest, message: Any) -> str | None:
        """Store one answer; why it was not stored, or None."""
        if message.stop_reason == "refusal":
            return "Claude declined to say what it shows"
        text = "".join(getattr(block, "text", "") for block in message.content)
        try:
            look = look_of(text)
        except ValueError as exc:
            return str(exc)
        try:
            await self._mcp.ask(
                tools.SAVE_PHOTO_TRAITS, brand=brand, key=request.key, etag=request.etag, look=look
            )
        except ApplicationError as error:
            if not error.non_retryable:
                raise
            return error.message
        return None

    def _trace(self, usage: ClaudeUsage | None, answers: int) -> None:
        if usage is None:
            return
        name = f"look at {answers} photo{'' if answers == 1 else 's'} (batch)"
        with self._tracing.generation(name, self._model) as traced:
            traced.record(usage)
