"""The steps of a FeedPublisherWorkflow run that every run takes the same way: running one
activity with its policy while the run's progress and timings follow it, publishing on both
platforms at once, and the bookkeeping at the end. Workflow code: no I/O.

``FeedPublisherWorkflow`` holds one ``RunSteps`` and decides the order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import (
        Captions,
        ClaudeUsage,
        PlatformResult,
        PlatformStatus,
        Progress,
        PublishReport,
    )

    from ..activities import PhotoActivities, PublishActivities, ReportActivities
    from ..models import PhotoUseInput, PublishInput, TokenCheck, TokenCheckInput
    from . import patches, policies
    from .policies import StepPolicy

__all__ = ["RunSteps", "reason_of", "rejected_in_run", "run_activity", "total_cost"]

T = TypeVar("T")
QUOTA_ERRORS = ("InstagramQuotaReached", "MetaPublishingLimit")
"""A platform at its publishing limit is skipped for this run, not failed."""


def reason_of(error: BaseException) -> tuple[str, str]:
    """Plain-words reason and error type of a failed activity."""
    cause = error.cause if isinstance(error, ActivityError) and error.cause else error
    if isinstance(cause, ApplicationError):
        return cause.message, cause.type or "ApplicationError"
    return str(cause) or cause.__class__.__name__, cause.__class__.__name__


class RunSteps:
    """Runs a run's activities, keeping ``progress`` (what the ``progress`` query answers) and
    ``timings`` (seconds per step, for the report) up to date."""

    def __init__(self, progress: Progress, timings: dict[str, float]) -> None:
        self._progress = progress
        self._timings = timings
        self.token: TokenCheck | None = None
        """What Meta said of the brand's token, once the run asked."""
        self.before_saving: Awaitable[None] | None = None
        """Work under way that the report waits for (the read-back of the live posts)."""

    async def run(
        self, name: str, policy: StepPolicy, method: Callable[..., Awaitable[T]], arg: Any,
        *, done_once: bool = False,
    ) -> T:  # fmt: skip
        """Run the activity ``method`` as the step ``name``, with ``policy``'s timeouts and
        retries; ``done_once``: a step taken again (a post looked for again) is listed done
        once."""
        self._progress.step = name
        started = workflow.now()
        try:
            if policy.local and _ran_short_steps_locally():
                return await workflow.execute_local_activity_method(
                    method, arg, start_to_close_timeout=policy.start_to_close,
                    retry_policy=policy.retry,
                )  # fmt: skip
            return await run_activity(method, arg, policy)
        finally:
            self._timings[name] = round(self._timings.get(name, 0.0) + _seconds(started), 3)
            if not (done_once and name in self._progress.done):
                self._progress.done.append(name)

    async def check_token(self, report: PublishReport) -> TokenCheck | None:
        """Stop before taking a photo when the brand's token no longer works; warn when it
        expires soon. What Meta said is kept in ``token``."""
        if not workflow.patched(patches.META_TOKEN_CHECK):
            return None
        self.token = token = await self.run(
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
        return token

    async def publish_both(
        self, report: PublishReport, captions: Captions, media_key: str, *, revision: int = 0
    ) -> None:
        """Publish on Facebook and Instagram at once; ``revision``: the plan's, for a planned
        run (the publication ledger keeps one row per revision)."""

        def post(caption: str) -> PublishInput:
            return PublishInput(
                brand=report.brand, run_id=report.run_id, media_key=media_key,
                caption=caption, alt_text=captions.alt_text, revision=revision,
            )  # fmt: skip

        self._progress.step = "publish"
        facebook, instagram = await asyncio.gather(
            self._platform("facebook", policies.PUBLISH_FACEBOOK,
                           PublishActivities.publish_facebook, post(captions.facebook)),
            self._platform("instagram", policies.PUBLISH_INSTAGRAM,
                           PublishActivities.publish_instagram, post(captions.instagram)),
        )  # fmt: skip
        report.facebook, report.instagram = facebook, instagram
        published = [r for r in (facebook, instagram) if r.status == "published"]
        report.status = "published" if len(published) == 2 else "partial" if published else "failed"
        if not published:
            report.reason = "; ".join(r.reason or "" for r in (facebook, instagram))

    async def _platform(
        self, platform: str, policy: StepPolicy, method: Callable[..., Awaitable[PlatformResult]],
        arg: PublishInput,
    ) -> PlatformResult:  # fmt: skip
        # One platform failing never cancels the other: each branch turns its error into a result.
        try:
            return await self.run(f"publish_{platform}", policy, method, arg)
        except ActivityError as error:
            reason, kind = reason_of(error)
            status: PlatformStatus = "skipped" if kind in QUOTA_ERRORS else "failed"
            return PlatformResult(
                platform=platform,  # type: ignore[arg-type]
                status=status, reason=reason, error_type=kind,
            )  # fmt: skip

    async def finish(self, report: PublishReport) -> None:
        """Mark the photo used (something went out) or give it back, then save the report once
        ``before_saving`` is done."""
        if report.photo_key:
            use = PhotoUseInput(brand=report.brand, key=report.photo_key, run_id=report.run_id)
            if report.status in ("published", "partial"):
                await self.run(
                    "mark_photo_used",
                    policies.MARK_PHOTO_USED,
                    PhotoActivities.mark_photo_used,
                    use,
                )
            else:
                # Nothing went out (failed, rejected, expired, dry run): the photo stays unused.
                await self.run(
                    "release_photo", policies.RELEASE_PHOTO, PhotoActivities.release_photo, use
                )
        if self.before_saving is not None:
            await self._read_back_whatever_comes(report, self.before_saving)
        report.finished_at = workflow.now().isoformat()
        await self.run("save_report", policies.SAVE_REPORT, ReportActivities.save_report, report)
        self._progress.step = "done"

    @staticmethod
    async def _read_back_whatever_comes(report: PublishReport, reading: Awaitable[None]) -> None:
        # A cancellation here must not cost the report: the post is out, and the report, the
        # notice and the reading of its figures must follow. The read-back (a few seconds, or
        # minutes for a post Meta shows late) is let finish, as publishing is at a slot.
        reading = asyncio.ensure_future(reading)
        try:
            await asyncio.shield(reading)
        except asyncio.CancelledError:
            report.warnings.append(
                "a cancellation came while the post was being read back; "
                "the report is saved all the same"
            )
            await reading


async def run_activity(method: Callable[..., Awaitable[T]], arg: Any, policy: StepPolicy) -> T:
    """The activity ``method`` as an ordinary activity, with ``policy``'s timeouts and retries."""
    return await workflow.execute_activity_method(
        method,
        arg,
        start_to_close_timeout=policy.start_to_close,
        heartbeat_timeout=policy.heartbeat,
        retry_policy=policy.retry,
    )


def rejected_in_run(report: PublishReport, shown: int = 10) -> str:
    """The photos the run rejected or set aside, and why, for its failure message ("" when
    none)."""
    return _listed("Photos rejected in this run", report.rejected_photos, shown) + _listed(
        "Photos set aside for this run, left unused", report.set_aside_photos, shown
    )


def _listed(title: str, entries: list[str], shown: int) -> str:
    if not entries:
        return ""
    more = len(entries) - shown
    return f". {title}: {'; '.join(entries[:shown])}" + (f"; and {more} more" if more > 0 else "")


def total_cost(*usages: ClaudeUsage | None) -> float | None:
    """What the run's Claude calls cost. A usage without a model stands for a call the run did
    not make: checking the photo calls no Claude (replayed runs whose analysis was a Claude
    request carry its usage, and it counts)."""
    costs = [usage.cost_usd for usage in usages if usage is not None and usage.model]
    return None if None in costs else round(sum(c for c in costs if c is not None), 6)


def _ran_short_steps_locally() -> bool:
    """Whether this run was recorded by the code that ran short steps as local activities."""
    return not workflow.patched(patches.SHORT_STEPS_AS_ACTIVITIES) and workflow.patched(
        patches.LOCAL_SHORT_STEPS
    )


def _seconds(started: datetime) -> float:
    return (workflow.now() - started).total_seconds()
