"""BrandChecksWorkflow: every hour, each brand whose hour has come has its Meta token and its
photo runway checked, and its weekly digest sent; what is found is told through ``tell``. Then
the photos held by runs that no longer exist are given back (``sweep_held_photos``), for every
brand whatever the request names. Each brand that learns from its posts has its unused photos
looked at for their traits (``PhotoTraitsWorkflow``, started and not awaited).

Every brand of the brands file is checked, those whose posting schedule is paused or disabled
too: a paused brand's token still expires. The hour is the Schedule's (the time it started
this run for), read in each brand's zone (``checks.timing``); a run started by hand forces the
checks it names.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from temporalio import workflow
from temporalio.common import SearchAttributeKey
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.checks import (
        CHECKS_WORKFLOW_NAME,
        BrandCheckOutcome,
        BrandChecksReport,
        BrandChecksRequest,
        ToldNotice,
    )
    from feedpub.contract.notices import Notice

    from ..activities import CheckActivities, PublishActivities
    from ..checks.models import (
        BrandCheckSettings,
        BrandsToCheckInput,
        PhotoCountInput,
        SweepHeldPhotosInput,
        WeeklyDigestInput,
    )
    from ..checks.notices import days_of_posts, digest_notice, runway_notice, token_notice
    from ..checks.timing import DueChecks, due_checks
    from ..models import TokenCheckInput
    from . import patches, policies
    from .notify import tell
    from .photo_traits import start_trait_look
    from .steps import reason_of, run_activity

__all__ = ["BrandChecksWorkflow"]

T = TypeVar("T")

SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
"""Set by the Schedule on the runs it starts: the hour they are for, even when started late."""


@workflow.defn(name=CHECKS_WORKFLOW_NAME)
class BrandChecksWorkflow:
    @workflow.run
    async def run(self, request: BrandChecksRequest) -> BrandChecksReport:
        at = workflow.info().typed_search_attributes.get(SCHEDULED_AT) or workflow.now()
        brands = await run_activity(
            CheckActivities.brands_to_check,
            BrandsToCheckInput(request.brands),
            policies.BRANDS_TO_CHECK,
        )
        outcomes = await asyncio.gather(
            *(self._check(settings, due_checks(settings, at, request.force))
              for settings in brands.brands)
        )  # fmt: skip
        report = BrandChecksReport(at=at.isoformat(), brands=[o for o in outcomes if o.checked])
        if workflow.patched(patches.PHOTO_TRAITS_LOOKED_AT):
            for settings in brands.brands:
                if settings.learning != "off":
                    await start_trait_look(settings.brand)
        if workflow.patched(patches.HELD_PHOTOS_SWEPT):
            await self._sweep(report)
        return report

    async def _sweep(self, report: BrandChecksReport) -> None:
        """Give back the photos of runs that no longer exist; a sweep that cannot be done is
        said in the report and done again at the next hour's."""
        try:
            swept = await run_activity(
                CheckActivities.sweep_held_photos,
                SweepHeldPhotosInput(),
                policies.SWEEP_HELD_PHOTOS,
            )
        except ActivityError as error:
            report.sweep_failed = reason_of(error)[0]
            return
        report.freed_photos = swept.freed

    async def _check(self, settings: BrandCheckSettings, due: DueChecks) -> BrandCheckOutcome:
        brand = settings.brand
        outcome = BrandCheckOutcome(
            brand, due.local.isoformat(), checked=list(due.checks), time_zone=settings.time_zone
        )
        notices: list[Notice] = []
        if "token" in due.checks:
            asked = run_activity(
                PublishActivities.check_meta_token,
                TokenCheckInput(brand),
                policies.CHECK_META_TOKEN,
            )
            token = await _attempt(outcome, "token", asked)
            if token is not None:
                notices.append(token_notice(brand, token, due.local, due.day))
        stock = None
        if "runway" in due.checks or "digest" in due.checks:
            counted = "runway" if "runway" in due.checks else "digest's photos left"
            count = run_activity(
                CheckActivities.count_unused_photos,
                PhotoCountInput(brand),
                policies.COUNT_UNUSED_PHOTOS,
            )
            stock = await _attempt(outcome, counted, count)
        if stock is not None and "runway" in due.checks:
            notices.append(runway_notice(
                brand, stock, settings.posts_per_day, settings.runway_warn_days, due.local,
                due.day,
            ))  # fmt: skip
        if "digest" in due.checks:
            photos_left = stock.unused if stock is not None else None
            digest = await _attempt(outcome, "digest", self._digest(settings, due, photos_left))
            if digest is not None:
                notices.append(digest)
        for notice in notices:
            started = await tell(notice)
            outcome.told.append(
                ToldNotice(notice.event_id, notice.kind, _summary(notice), told_before=not started)
            )
        return outcome

    async def _digest(
        self, settings: BrandCheckSettings, due: DueChecks, photos_left: int | None
    ) -> Notice:
        assert due.digest_since and due.digest_until and due.digest_day
        days = None
        if photos_left is not None:
            days = days_of_posts(photos_left, settings.posts_per_day)
        digest = await run_activity(
            CheckActivities.weekly_digest,
            WeeklyDigestInput(
                settings.brand, settings.time_zone, due.digest_since.isoformat(),
                due.digest_until.isoformat(), photos_left, days,
            ),
            policies.WEEKLY_DIGEST,
        )  # fmt: skip
        notice = digest_notice(
            settings.brand, digest.lines, due.local, due.digest_day, asked=due.digest_asked
        )
        notice.photos_left, notice.days_of_posts = photos_left, days
        return notice


async def _attempt(outcome: BrandCheckOutcome, check: str, step: Awaitable[T]) -> T | None:
    """The step's result; None, and the reason in ``outcome``, when it failed for good: one
    check that cannot be done leaves the others, and the other brands', to be done."""
    try:
        return await step
    except ActivityError as error:
        outcome.failed[check] = reason_of(error)[0]
        return None


def _summary(notice: Notice) -> str:
    """The notice in one line, for the checks' report."""
    if notice.kind == "weekly_digest":
        return notice.lines[0] if notice.lines else "the week's runs"
    if notice.kind == "token_expiring" and notice.days_left is not None:
        return f"the Meta token expires in {notice.days_left:g} days"
    if notice.kind in ("token_expiring", "token_invalid"):
        return notice.reason or "the Meta token is not valid"
    what = "the Meta token works"
    if notice.photos_left is not None:
        days = notice.days_of_posts or 0
        what = (
            f"{notice.photos_left} unused photo{'' if notice.photos_left == 1 else 's'}, "
            f"{days:g} day{'' if days == 1 else 's'} of posts"
        )
    if notice.kind == "back_to_normal":
        return f"{what}: all well (told only when a problem was open)"
    return what
