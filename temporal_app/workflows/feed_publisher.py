"""FeedPublisherWorkflow: one post of one brand, from an unused photo to a saved report.

A run publishes at once, or, when its brand's policy gives it a slot, prepares the post ahead
and publishes at the slot (``planned``). Both are one workflow type, told apart by data, with
no patch: the slot comes from the recorded result of ``get_brand_policy``, and a run recorded
before planning existed has none in it, so it replays on the path that publishes at once with
the same commands. A patch marker would tell nothing that the result does not. Queries,
updates, the CLI and the console keep one workflow name.

Decisions carry who took them (``DecidedBy``), also without a patch: the argument defaults to
None, so an update recorded without it replays, and who decided and when (``workflow.now()``)
go only into the run's state and the words of its report, which no command is made of.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract import run as run_contract
    from feedpub.contract.run import (
        CaptionEdit,
        DecidedBy,
        PlatformResult,
        Progress,
        PublishReport,
        PublishRequest,
    )

    from ..activities import BrandActivities, PhotoActivities
    from ..captions.checks import INSTAGRAM_MAX_CHARS
    from ..models import BrandPolicy, BrandPolicyInput, PrepareMediaInput
    from . import patches, policies
    from .approval import ApprovalGate
    from .decisions import check_decided_by
    from .live_check import verify_published
    from .notify import tell
    from .photo_choice import OrdinaryCaptions, PhotoChoice
    from .plan import Plan
    from .planned import PlannedRun
    from .post_insights import measure_later
    from .run_notices import SCHEDULED_AT, end_of_run
    from .steps import RunSteps, reason_of, rejected_in_run, total_cost

__all__ = ["FeedPublisherWorkflow"]


@workflow.defn(name=run_contract.WORKFLOW_NAME)
class FeedPublisherWorkflow:
    def __init__(self) -> None:
        self._progress = Progress()
        self._timings: dict[str, float] = {}
        self._steps = RunSteps(self._progress, self._timings)
        self._gate = ApprovalGate(self._progress)
        self._photos = PhotoChoice(self._steps, self._progress)
        self._plan = Plan(self._progress)
        self._planned = PlannedRun(self._steps, self._progress, self._photos, self._plan)
        self._failure: str | None = None
        """The error type that stopped the run, if one did."""

    @workflow.query(name=run_contract.PROGRESS)
    def progress(self) -> Progress:
        """The step the run is in, the steps done, and what awaits approval."""
        return self._progress

    @workflow.update(name=run_contract.APPROVE)
    def approve(self, by: DecidedBy | None = None) -> str:
        """Publish the captions as they are (a planned run: at its slot)."""
        if self._plan.planned:
            self._plan.approve(by)
        else:
            self._gate.approve(by)
        return "approved"

    @approve.validator
    def _validate_approve(self, by: DecidedBy | None = None) -> None:
        self._check_decidable(by)

    @workflow.update(name=run_contract.REJECT)
    def reject(self, reason: str, by: DecidedBy | None = None) -> str:
        """Do not publish; the photo goes back to the unused ones."""
        if self._plan.planned:
            self._plan.reject(reason, by)
        else:
            self._gate.reject(reason, by)
        return "rejected"

    @reject.validator
    def _validate_reject(self, reason: str, by: DecidedBy | None = None) -> None:
        self._check_decidable(by)

    @workflow.update(name=run_contract.EDIT)
    def edit(self, edit: CaptionEdit) -> str:
        """Publish with these captions instead (a field left empty keeps the written one). A
        planned run's edit is a new revision, approved as it is."""
        if self._plan.planned:
            self._plan.edit(edit)
        else:
            self._gate.edit(edit)
        return "edited"

    @edit.validator
    def _validate_edit(self, edit: CaptionEdit) -> None:
        self._check_decidable(edit.by)
        if not (edit.facebook or edit.instagram):
            raise ValueError("an edit needs a Facebook or an Instagram caption")
        if edit.instagram and len(edit.instagram) > INSTAGRAM_MAX_CHARS:
            raise ValueError(
                f"the Instagram caption is longer than {INSTAGRAM_MAX_CHARS} characters"
            )

    @workflow.update(name=run_contract.ANOTHER_PHOTO)
    async def another_photo(self, reason: str, by: DecidedBy | None = None) -> str:
        """A planned run, before its slot: give the photo back, plan another with new captions
        (a new revision, to be decided on again). Answers once the new plan is in place."""
        plan = self._plan
        plan.ask_another_photo(reason, by)
        await workflow.wait_condition(lambda: plan.another_photo is None or plan.closed)
        if plan.another_photo is not None:
            raise ApplicationError("the run ended before it could plan another photo")
        return f"another photo: {self._progress.photo_key} (revision {self._progress.revision})"

    @another_photo.validator
    def _validate_another_photo(self, reason: str, by: DecidedBy | None = None) -> None:
        self._plan.check_changeable()
        check_decided_by(by)

    def _check_decidable(self, by: DecidedBy | None) -> None:
        check_decided_by(by)
        if self._plan.planned:
            self._plan.check_changeable()
        else:
            self._gate.check_open()

    @workflow.run
    async def run(self, request: PublishRequest | str) -> PublishReport:
        if isinstance(request, str):
            request = PublishRequest(brand=request)
        info = workflow.info()
        self._progress.brand = request.brand
        report = PublishReport(
            run_id=info.run_id,
            workflow_id=info.workflow_id,
            brand=request.brand,
            status="failed",
            started_at=workflow.now().isoformat(),
            timings=self._timings,
            dry_run=request.dry_run,
        )
        try:
            policy = await self._policy(request)
            if policy.slot is None:
                await self._steps.check_token(report)
                await self._publish(report, policy)
            elif await self._planned.until_the_slot(report, policy):
                return await self._publish_at_slot(report)
        except (ActivityError, ApplicationError) as error:
            report.reason, self._failure = reason_of(error)
        return await self._end(report)

    async def _publish_at_slot(self, report: PublishReport) -> PublishReport:
        """Publish the plan and end the run, whatever comes meanwhile: a cancellation once
        publishing has begun is too late. Cancelling the publish steps would leave a post
        neither known made nor known not made, and no retry left to settle it; so they run to
        their end as they would have, the photo is marked used (or given back), the report
        saved, and the report says the cancellation came late."""
        report.published_at = workflow.now().isoformat()
        ending = asyncio.ensure_future(self._published_then_end(report))
        try:
            return await asyncio.shield(ending)
        except asyncio.CancelledError:
            report.warnings.append(
                "a cancellation came after publishing had begun, too late to stop it"
            )
            return await ending

    async def _published_then_end(self, report: PublishReport) -> PublishReport:
        assert report.captions is not None and report.media_key is not None
        await self._publish_or_dry_run(report, report.media_key, revision=report.revision)
        return await self._end(report)

    async def _end(self, report: PublishReport) -> PublishReport:
        """Mark the photo used or give it back, save the report, tell the team, start the
        reading of the post's figures, and fail the workflow when nothing was published."""
        if self._plan.planned:
            await workflow.wait_condition(workflow.all_handlers_finished)
        await self._steps.finish(report)
        await self._tell_the_end(report)
        await measure_later(report)
        if report.status == "failed":
            raise ApplicationError(
                f"brand '{report.brand}': nothing was published: {report.reason}"
                + rejected_in_run(report),
                type="PublicationFailed",
                non_retryable=True,
            )
        return report

    async def _tell_the_end(self, report: PublishReport) -> None:
        """Tell the team how the run ended (a dry run tells nothing). The run only starts the
        notifiers: sending is theirs, and never fails or holds up the run."""
        if report.dry_run or not workflow.patched(patches.TELL_THE_TEAM):
            return
        notices = end_of_run(report, self._steps.token, self._failure)
        await asyncio.gather(*(tell(notice) for notice in notices))

    async def _policy(self, request: PublishRequest) -> BrandPolicy:
        # Runs recorded before the approval step existed replay without it.
        if not workflow.patched(patches.BRAND_POLICY):
            return BrandPolicy()
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_AT)
        return await self._steps.run(
            "get_brand_policy", policies.GET_BRAND_POLICY, BrandActivities.get_brand_policy,
            BrandPolicyInput(
                brand=request.brand, requested_slot=request.slot,
                scheduled_start=scheduled.isoformat() if scheduled else None,
            ),
        )  # fmt: skip

    async def _publish(self, report: PublishReport, policy: BrandPolicy) -> None:
        photo, report.captions = await self._photos.take(
            report, policy, OrdinaryCaptions(self._steps)
        )
        self._progress.captions = report.captions
        report.cost_usd = total_cost(report.analysis_usage, report.captions.usage)
        media = await self._steps.run(
            "prepare_media", policies.PREPARE_MEDIA, PhotoActivities.prepare_media,
            PrepareMediaInput(brand=report.brand, key=photo.key),
        )  # fmt: skip
        # The approval page shows the image as it will be posted.
        report.media_key = self._progress.media_key = media.media_key
        if policy.approval_required and not await self._gate.decided(
            report, policy, told=workflow.patched(patches.TELL_THE_TEAM)
        ):
            return
        await self._publish_or_dry_run(report, media.media_key)

    async def _publish_or_dry_run(
        self, report: PublishReport, media_key: str, *, revision: int = 0
    ) -> None:
        assert report.captions is not None
        if report.dry_run:
            report.status = "dry_run"
            report.facebook, report.instagram = (
                PlatformResult(platform=name, status="skipped", reason="dry run: not published")
                for name in ("facebook", "instagram")
            )
            return
        await self._steps.publish_both(report, report.captions, media_key, revision=revision)
        # The posts are read back while the photo is marked used; the report waits for them.
        self._steps.before_saving = asyncio.ensure_future(
            verify_published(self._steps, report, report.captions, media_key)
        )
