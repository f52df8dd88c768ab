"""Captions by Message Batch, for a planned run whose batch cut-off is still ahead: half the
price, and results usually within the hour.

The run submits one batch of its own (a batch is cancelled as a whole) and looks at it on
durable timers: first after a minute, then twice as long each time up to 15 minutes, never
sleeping past the cut-off. A batch not ended at the cut-off is cancelled, and the captions
written the ordinary way: the run is never late for its slot because of a batch. So is a batch
that ended without an answer (errored, expired, cancelled). Workflow code: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import Captions, CaptionsVia, Progress

    from ..activities import ClaudeActivities
    from ..models import CaptionBatch, CaptionBatchOutcome, CaptionInput, CollectCaptionBatchInput
    from . import policies
    from .photo_choice import OrdinaryCaptions
    from .steps import RunSteps

__all__ = ["BatchCaptions"]

FIRST_LOOK_SECONDS = 60.0
LONGEST_WAIT_SECONDS = 15 * 60.0
WAITING = "waiting_for_caption_batch"
"""The run's step (``progress``) between two looks at its batch."""


class BatchCaptions:
    def __init__(self, steps: RunSteps, progress: Progress, cutoff: datetime) -> None:
        self._steps = steps
        self._progress = progress
        self._cutoff = cutoff
        self.waited_seconds = 0.0
        self.via: CaptionsVia = "batch"
        self.pending: CaptionBatch | None = None
        """A batch sent and not known to have ended: cancelled if the run is."""

    async def write(self, request: CaptionInput) -> Captions:
        if workflow.now() >= self._cutoff:
            self.via = "ordinary"
            return await OrdinaryCaptions(self._steps).write(request)
        batch = await self._steps.run(
            "submit_caption_batch", policies.SUBMIT_CAPTION_BATCH,
            ClaudeActivities.submit_caption_batch, request,
        )  # fmt: skip
        self.pending = batch
        started = workflow.now()
        try:
            outcome = await self._until_ended(batch, request)
        finally:
            self.waited_seconds += (workflow.now() - started).total_seconds()
        if outcome is not None and outcome.captions is not None:
            self.via = "batch"
            return outcome.captions
        self.via = "batch, then ordinary"
        return await OrdinaryCaptions(self._steps).write(request)

    async def _until_ended(
        self, batch: CaptionBatch, request: CaptionInput
    ) -> CaptionBatchOutcome | None:
        """The batch's outcome once it ended; None when the cut-off came first (it is then
        cancelled)."""
        look = CollectCaptionBatchInput(request.brand, batch, request.key, request.description)
        wait = FIRST_LOOK_SECONDS
        while True:
            left = (self._cutoff - workflow.now()).total_seconds()
            if left > 0:
                self._progress.step = WAITING
                await workflow.sleep(min(wait, left))
            try:
                outcome = await self._steps.run(
                    "collect_caption_batch", policies.COLLECT_CAPTION_BATCH,
                    ClaudeActivities.collect_caption_batch, look,
                )  # fmt: skip
            except ActivityError:
                # Raised for an answer that ended unusable (refused, still breaking a rule),
                # or after the look's retries: the batch has ended or will expire alone.
                self.pending = None
                raise
            if outcome.ended:
                self.pending = None
                return outcome
            if workflow.now() >= self._cutoff:
                await self.give_up()
                return None
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)

    async def give_up(self) -> None:
        """Cancel the batch still pending, if one is."""
        if self.pending is None:
            return
        await self._steps.run(
            "cancel_caption_batch", policies.CANCEL_CAPTION_BATCH,
            ClaudeActivities.cancel_caption_batch, self.pending,
        )  # fmt: skip
        self.pending = None
