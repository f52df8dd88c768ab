"""FeedPublisherWorkflow: one post of one brand, from an unused photo to a saved report."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract import run as run_contract
    from feedpub.contract.run import (
        CaptionEdit,
        PlatformResult,
        Progress,
        PublishReport,
        PublishRequest,
    )

    from ..activities import (
        BrandActivities,
        PhotoActivities,
        PublishActivities,
    )
    from ..captions.checks import INSTAGRAM_MAX_CHARS
    from ..models import (
        BrandPolicy,
        BrandPolicyInput,
        PrepareMediaInput,
        TokenCheck,
        TokenCheckInput,
    )
    from . import patches, policies
    from .approval import ApprovalGate
    from .notify import tell
    from .photo_choice import OrdinaryCaptions, PhotoChoice
    from .run_notices import end_of_run
    from .steps import RunSteps, reason_of, rejected_in_run, total_cost

__all__ = ["FeedPublisherWorkflow"]


@workflow.defn(name=run_contract.WORKFLOW_NAME)
class FeedPublisherWorkflow:
    def __init__(self) -> None:
        self._progress = Progress()
        self._timings: dict[str, float] = {}
        self._steps = RunSteps(self._progress, self._timings)
        self._gate = ApprovalGate()
        self._photos = PhotoChoice(self._steps, self._progress)
        self._token: TokenCheck | None = None
        self._failure: str | None = None
        """The error type that stopped the run, if one did."""

    @workflow.query(name=run_contract.PROGRESS)
    def progress(self) -> Progress:
        """The step the run is in, the steps done, and what awaits approval."""
        return self._progress

    @workflow.update(name=run_contract.APPROVE)
    def approve(self) -> str:
        """Publish the captions as they are."""
        self._gate.approve()
        return "approved"

    @approve.validator
    def _validate_approve(self) -> None:
        self._gate.check_open()

    @workflow.update(name=run_contract.REJECT)
    def reject(self, reason: str) -> str:
        """Do not publish; the photo goes back to the unused ones."""
        self._gate.reject(reason)
        return "rejected"

    @reject.validator
    def _validate_reject(self, reason: str) -> None:
        self._gate.check_open()

    @workflow.update(name=run_contract.EDIT)
    def edit(self, edit: CaptionEdit) -> str:
        """Publish with these captions instead (a field left empty keeps the written one)."""
        assert self._progress.captions is not None
        self._progress.captions = self._gate.edit(self._progress.captions, edit)
        return "edited"

    @edit.validator
    def _validate_edit(self, edit: CaptionEdit) -> None:
        self._gate.check_open()
        if not (edit.facebook or edit.instagram):
            raise ValueError("an edit needs a Facebook or an Instagram caption")
        if edit.instagram and len(edit.instagram) > INSTAGRAM_MAX_CHARS:
            raise ValueError(
                f"the Instagram caption is longer than {INSTAGRAM_MAX_CHARS} characters"
            )

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
            policy = await self._policy(request.brand)
            await self._check_token(report)
            await self._publish(report, policy)
        except (ActivityError, ApplicationError) as error:
            report.reason, self._failure = reason_of(error)
        await self._steps.finish(report)
        await self._tell_the_end(report)
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
        await asyncio.gather(*(tell(n) for n in end_of_run(report, self._token, self._failure)))

    async def _policy(self, brand: str) -> BrandPolicy:
        # Runs recorded before the approval step existed replay without it.
        if not workflow.patched(patches.BRAND_POLICY):
            return BrandPolicy()
        return await self._steps.run(
            "get_brand_policy", policies.GET_BRAND_POLICY, BrandActivities.get_brand_policy,
            BrandPolicyInput(brand=brand),
        )  # fmt: skip

    async def _check_token(self, report: PublishReport) -> None:
        """Stop before taking a photo when the brand's token no longer works; warn when it
        expires soon."""
        if not workflow.patched(patches.META_TOKEN_CHECK):
            return
        self._token = token = await self._steps.run(
            "check_meta_token", policies.CHECK_META_TOKEN, PublishActivities.check_meta_token,
            TokenCheckInput(brand=report.brand),
        )  # fmt: skip
        if not token.valid:
            raise ApplicationError(
                token.problem or "the brand's Meta token is not valid",
                type="MetaTokenInvalid",
                non_retryable=True,
            )
        if token.problem:
            report.warnings.append(token.problem)

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
        report.media_key = media.media_key
        if policy.approval_required and not await self._gate.decided(
            report, policy, self._progress, told=workflow.patched(patches.TELL_THE_TEAM)
        ):
            return
        if report.dry_run:
            report.status = "dry_run"
            report.facebook, report.instagram = (
                PlatformResult(platform=name, status="skipped", reason="dry run: not published")
                for name in ("facebook", "instagram")
            )
            return
        await self._steps.publish_both(report, report.captions, media.media_key)
