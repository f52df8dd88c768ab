"""Choosing a run's photo: reserve one, look at it, have its captions written, and take the next
when it proves unusable. Every run chooses this way; how the captions are written (one
ordinary request, or a Message Batch for a planned run) is the caller's ``CaptionWriter``.
Workflow code: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import Captions, CaptionsVia, Progress, PublishReport
    from feedpub.contract.tools import Photo

    from ..activities import ClaudeActivities, PhotoActivities
    from ..models import (
        BrandPolicy,
        CaptionInput,
        PhotoAnalysis,
        PhotoUseInput,
        RejectPhotoInput,
        ReservePhotoInput,
    )
    from . import patches, policies
    from .steps import RunSteps, reason_of

__all__ = ["CaptionWriter", "OrdinaryCaptions", "PhotoChoice"]

PHOTO_FAULTS = {"ClaudeRefused": "claude-refused", "CaptionContacts": "caption-contacts"}
"""Step failures that are the photo's fault, and the cause its rejection is counted under:
Claude declines to caption it, or text in it steers the captions (``CaptionContacts``, an
error only this code's caption step raises, so no recorded run meets it)."""
HELD_TWIN = "NearDuplicateHeld"
"""The photo looks the same as one another run holds (an error no recorded run meets)."""
OLDER_RUNS_MAX_PHOTOS = 3
"""Photos a run recorded before ``patches.PHOTOS_UNTIL_ONE_WORKS`` took at most."""


class CaptionWriter(Protocol):
    waited_seconds: float
    """Time spent waiting on a batch: it does not count against ``photo_search_seconds``."""
    via: CaptionsVia
    """How the last captions were written."""

    async def write(self, request: CaptionInput) -> Captions: ...


class OrdinaryCaptions:
    """Captions written by one ordinary request (``generate_caption``)."""

    def __init__(self, steps: RunSteps) -> None:
        self._steps = steps
        self.waited_seconds = 0.0
        self.via: CaptionsVia = "ordinary"

    async def write(self, request: CaptionInput) -> Captions:
        return await self._steps.run(
            "generate_caption", policies.GENERATE_CAPTION, ClaudeActivities.generate_caption,
            request,
        )  # fmt: skip


class PhotoChoice:
    def __init__(self, steps: RunSteps, progress: Progress) -> None:
        self._steps = steps
        self._progress = progress

    async def take(
        self,
        report: PublishReport,
        policy: BrandPolicy,
        writer: CaptionWriter,
        *,
        avoid: Sequence[str] = (),
    ) -> tuple[Photo, Captions]:
        """A reserved photo and its captions (``avoid``: keys not to take). A photo that proves
        unusable (unreadable, a near-duplicate of a posted one, one Claude declines to caption,
        one whose text steers the captions) is rejected and the next one taken:
        a rejection is for good, so the run goes on until a photo works, the brand has none
        left (``NoUnusedPhoto``), the brand's ``photo_search_seconds`` have passed, or the
        feed-publisher stops rejecting (``PhotoRejectionsHalted``, photo after photo refused
        for one cause).

        A near-duplicate of a photo another run holds is set aside instead: given back unused
        (that run may give its twin back) and, for this run, avoided from then on."""
        started = workflow.now()
        avoid = list(avoid)
        while True:
            photo = await self._steps.run(
                "reserve_photo", policies.RESERVE_PHOTO, PhotoActivities.reserve_photo,
                ReservePhotoInput(brand=report.brand, run_id=report.run_id, avoid=list(avoid)),
            )  # fmt: skip
            report.photo_key = self._progress.photo_key = photo.key
            report.photo_choice = photo.chosen
            try:
                return photo, await self._look_and_write(report, photo, writer)
            except ActivityError as error:
                reason, kind = reason_of(error)
                prefix = f"photo '{photo.key}': "
                shown = f"{photo.key}: {reason.removeprefix(prefix)}"
                if kind == HELD_TWIN:
                    await self._steps.run(
                        "release_photo", policies.RELEASE_PHOTO, PhotoActivities.release_photo,
                        PhotoUseInput(brand=report.brand, key=photo.key, run_id=report.run_id),
                    )  # fmt: skip
                    avoid.append(photo.key)
                    report.set_aside_photos.append(shown)
                elif await self._rejected(report, photo, reason, kind):
                    report.rejected_photos.append(shown)
                else:
                    raise
                report.photo_key = self._progress.photo_key = report.photo_choice = None
            searched = timedelta(seconds=policy.photo_search_seconds + writer.waited_seconds)
            _go_on_looking(report, policy, started + searched)

    async def _rejected(self, report: PublishReport, photo: Photo, reason: str, kind: str) -> bool:
        """Whether the failure ``kind`` is the photo's fault, which rejects it for good: the
        feed-publisher has rejected it already (``PhotoRejected``), or the run does now."""
        refused = kind == "ClaudeRefused" and workflow.patched(patches.REFUSED_PHOTO_REJECTED)
        if refused or kind == "CaptionContacts":
            await self._steps.run(
                "reject_photo", policies.REJECT_PHOTO, PhotoActivities.reject_photo,
                RejectPhotoInput(report.brand, photo.key, report.run_id, reason,
                                 cause=PHOTO_FAULTS[kind]),
            )  # fmt: skip
            return True
        return kind == "PhotoRejected"

    async def _look_and_write(
        self, report: PublishReport, photo: Photo, writer: CaptionWriter
    ) -> Captions:
        analysis: PhotoAnalysis = await self._steps.run(
            "analyze_photo", policies.ANALYZE_PHOTO, PhotoActivities.check_photo, photo
        )
        report.photo_facts = analysis.facts
        report.analysis_usage = analysis.usage if analysis.usage.model else None
        captions = await writer.write(
            CaptionInput(brand=report.brand, description=analysis.description, key=photo.key)
        )
        report.description = captions.description or analysis.description
        return captions


def _go_on_looking(report: PublishReport, policy: BrandPolicy, deadline: datetime) -> None:
    """Raise ``NoUsablePhoto`` when the run must stop taking photos."""
    rejected = len(report.rejected_photos)
    # Asked at a rejection only: runs without one record no marker.
    if not workflow.patched(patches.PHOTOS_UNTIL_ONE_WORKS):
        if rejected >= OLDER_RUNS_MAX_PHOTOS:
            raise ApplicationError(
                f"{OLDER_RUNS_MAX_PHOTOS} photos in a row were unusable", type="NoUsablePhoto"
            )
        return
    if workflow.now() >= deadline:
        raise ApplicationError(
            f"no usable photo found within {policy.photo_search_seconds:g} s "
            f"(photo_search_seconds); {rejected} unusable photos were rejected",
            type="NoUsablePhoto",
        )
    if workflow.info().is_continue_as_new_suggested():
        # Each photo tried adds to the run's history, which Temporal caps.
        raise ApplicationError(
            f"stopped after {rejected} unusable photos: the run's history is full; "
            "the next run goes on with the photos left",
            type="NoUsablePhoto",
        )
