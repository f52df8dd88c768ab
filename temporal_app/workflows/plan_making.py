"""Making a planned run's plan, and making it again: the photo with its captions and image;
another photo when a person asks or the planned one was deleted from S3; new captions when
the brand's rules changed. Each plan after the first is a new revision, which nobody decided
on yet: the team is told again when the brand wants approval. Workflow code: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import Captions, ClaudeUsage, Progress, PublishReport

    from ..activities import PhotoActivities
    from ..models import (
        BrandPolicy,
        CaptionInput,
        PhotoUseInput,
        PrepareMediaInput,
        RejectPhotoInput,
    )
    from . import policies
    from .notify import tell
    from .photo_choice import CaptionWriter, OrdinaryCaptions, PhotoChoice
    from .plan import Plan
    from .run_notices import approval_waiting
    from .steps import RunSteps, reason_of, total_cost

__all__ = ["PlanMaking"]


class PlanMaking:
    def __init__(self, steps: RunSteps, progress: Progress, photos: PhotoChoice, plan: Plan):
        self._steps = steps
        self._progress = progress
        self._photos = photos
        self._plan = plan
        self._caption_usages: list[ClaudeUsage] = []

    async def make(self, report: PublishReport, policy: BrandPolicy, writer: CaptionWriter) -> None:
        """The first plan: a photo, its captions (written by ``writer``) and its image."""
        photo, captions = await self._photos.take(report, policy, writer)
        await self._prepared(report, policy, photo.key, captions, writer)

    async def another_photo(self, report: PublishReport, policy: BrandPolicy) -> None:
        """Give the plan's photo back and plan another. A brand without another unused photo
        keeps its photo, with new captions."""
        self._plan.start_over()
        old = report.photo_key
        await self.give_back_photo(report)
        try:
            await self._another(report, policy, avoid=[old] if old else [])
        except ActivityError as error:
            if reason_of(error)[1] != "NoUnusedPhoto" or old is None:
                raise
            report.warnings.append(
                "another photo was asked for, but the brand has no other unused photo: "
                f"'{old}' stays, with new captions"
            )
            await self._another(report, policy)

    async def replace_deleted(self, report: PublishReport, policy: BrandPolicy) -> None:
        """The plan's photo was deleted from S3: take it out of rotation, plan another."""
        self._plan.start_over()
        await self.reject_deleted(report)
        await self._another(report, policy)

    async def rewrite_captions(self, report: PublishReport, policy: BrandPolicy) -> None:
        """New captions for the plan's photo: the brand's rules changed since they were written."""
        assert report.photo_key is not None
        self._plan.start_over()
        writer = OrdinaryCaptions(self._steps)
        captions = await writer.write(CaptionInput(report.brand, "", key=report.photo_key))
        await self._prepared(report, policy, report.photo_key, captions, writer, again=True)

    async def give_back_photo(self, report: PublishReport) -> None:
        if report.photo_key is None:
            return
        await self._steps.run(
            "release_photo", policies.RELEASE_PHOTO, PhotoActivities.release_photo,
            PhotoUseInput(brand=report.brand, key=report.photo_key, run_id=report.run_id),
        )  # fmt: skip
        report.photo_key = self._progress.photo_key = None

    async def reject_deleted(self, report: PublishReport) -> None:
        """Take the plan's photo, deleted from S3, out of rotation: no run takes it again."""
        assert report.photo_key is not None
        await self._steps.run(
            "reject_photo", policies.REJECT_PHOTO, PhotoActivities.reject_photo,
            RejectPhotoInput(report.brand, report.photo_key, report.run_id,
                             "deleted from S3 before its slot", cause="deleted"),
        )  # fmt: skip
        report.photo_key = self._progress.photo_key = None

    async def _another(
        self, report: PublishReport, policy: BrandPolicy, *, avoid: Sequence[str] = ()
    ) -> None:
        # Written the ordinary way: a person may be waiting for it, or the cut-off is past.
        writer = OrdinaryCaptions(self._steps)
        photo, captions = await self._photos.take(report, policy, writer, avoid=avoid)
        await self._prepared(report, policy, photo.key, captions, writer, again=True)

    async def _prepared(
        self,
        report: PublishReport,
        policy: BrandPolicy,
        key: str,
        captions: Captions,
        writer: CaptionWriter,
        *,
        again: bool = False,
    ) -> None:
        """Prepare the image of photo ``key``: the plan is in place, and the team told when it
        waits for approval."""
        media = await self._steps.run(
            "prepare_media", policies.PREPARE_MEDIA, PhotoActivities.prepare_media,
            PrepareMediaInput(brand=report.brand, key=key),
        )  # fmt: skip
        report.media_key = self._progress.media_key = media.media_key
        report.captions = self._progress.captions = captions
        report.captions_via = writer.via
        self._caption_usages.append(captions.usage)
        report.cost_usd = total_cost(report.analysis_usage, *self._caption_usages)
        self._plan.made(again=again)
        if policy.approval_required:
            assert policy.slot is not None
            self._progress.awaiting_approval_until = policy.slot
            await tell(approval_waiting(report, policy.slot, self._progress.revision))
