"""Captions through Claude's Message Batches API (half the price; results within 24 hours),
for runs planned ahead: submit one batch per run, look at it, cancel it.

The request is the one ``generate_caption`` sends (``caption_request``), and its answer goes
through the same checks and the same one regeneration, through the ordinary API. The class
is part of ``ClaudeActivities``, which provides the client, the brands, the first message
and the checks.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, cast

import anthropic
from anthropic.types import MessageParam
from anthropic.types.user_message_param import UserMessageParam
from temporalio import activity

from feedpub.brands import Brand
from feedpub.contract.run import Captions, ClaudeUsage

from ..captions.pricing import usage_of
from ..captions.prompt import caption_request
from ..models import CaptionBatch, CaptionBatchOutcome, CaptionInput, CollectCaptionBatchInput
from ..observability.tracing import Tracing
from .claude_errors import anthropic_failure

__all__ = ["CaptionBatchActivities", "custom_id_of"]

_NOT_IN_A_CUSTOM_ID = re.compile(r"[^A-Za-z0-9_-]")
_ENDED_WITHOUT_ANSWER = {
    "errored": "the batch request failed",
    "expired": "the batch expired: Anthropic had not processed it 24 hours after it was sent",
    "canceled": "the batch was cancelled before its request was processed",
}


def custom_id_of(run_id: str) -> str:
    """The batch request's id: the run's id, in the 1 to 64 characters the API accepts."""
    return _NOT_IN_A_CUSTOM_ID.sub("-", run_id)[:64] or "captions"


class CaptionBatchActivities:
    # Provided by ClaudeActivities.
    _claude: anthropic.AsyncAnthropic
    _caption_model: str
    _tracing: Tracing
    _brand: Callable[[str], Brand]
    _first_message: Callable[[CaptionInput], Awaitable[UserMessageParam]]
    _captions_of: Callable[
        [Brand, CaptionInput, Any, ClaudeUsage, list[MessageParam] | None], Awaitable[Captions]
    ]

    @activity.defn(name="submit_caption_batch")
    async def submit_caption_batch(self, request: CaptionInput) -> CaptionBatch:
        """Send the caption request for the run's photo as a Message Batch of its own (a batch
        is cancelled as a whole). A retry after a lost answer sends another batch: the first
        one is then paid for, at half price, and never looked at."""
        brand = self._brand(request.brand)
        params = caption_request(self._caption_model, brand, [await self._first_message(request)])
        info = activity.info()
        custom_id = custom_id_of(info.workflow_run_id or info.activity_id)
        try:
            batch = await self._claude.messages.batches.create(
                requests=[cast(Any, {"custom_id": custom_id, "params": params})]
            )
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
        return CaptionBatch(batch.id, custom_id, batch.created_at.isoformat())

    @activity.defn(name="collect_caption_batch")
    async def collect_caption_batch(self, look: CollectCaptionBatchInput) -> CaptionBatchOutcome:
        """Whether the batch has ended and, if it has, the checked captions (an answer that
        breaks a rule is written again once through the ordinary API, whose cost adds to the
        batch's) or why there are none. Fails as ``generate_caption`` does when Claude
        refuses or the captions still break a rule after the one regeneration."""
        brand = self._brand(look.brand)
        batch_id = look.batch.batch_id
        try:
            batch = await self._claude.messages.batches.retrieve(batch_id)
            if batch.processing_status != "ended":
                return CaptionBatchOutcome(ended=False)
            result = None
            async for line in await self._claude.messages.batches.results(batch_id):
                if line.custom_id == look.batch.custom_id:
                    result = line.result
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
        if result is None:
            problem = f"the batch's results have no answer for {look.batch.custom_id}"
            return CaptionBatchOutcome(ended=True, problem=problem)
        if result.type != "succeeded":
            problem = _ENDED_WITHOUT_ANSWER[result.type]
            if result.type == "errored":
                error = result.error.error
                problem += f": {error.type}: {error.message[:300]}"
            return CaptionBatchOutcome(ended=True, problem=problem)
        usage = usage_of(self._caption_model, result.message.usage, batch=True)
        with self._tracing.generation("write captions (batch)", self._caption_model) as traced:
            traced.record(usage)
        request = CaptionInput(look.brand, look.description, look.key)
        captions = await self._captions_of(brand, request, result.message, usage, None)
        return CaptionBatchOutcome(ended=True, captions=captions)

    @activity.defn(name="cancel_caption_batch")
    async def cancel_caption_batch(self, batch: CaptionBatch) -> None:
        """Cancel the batch; one that has already ended (or is being cancelled) is left as is."""
        batches = self._claude.messages.batches
        try:
            try:
                await batches.cancel(batch.batch_id)
            except anthropic.BadRequestError:
                # The API refuses to cancel an ended batch: then there is nothing left to do.
                if (await batches.retrieve(batch.batch_id)).processing_status != "ended":
                    raise
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
