"""The daily checks' and weekly digest's activities: the brands to check (from the worker's
brands file), the photos a brand has left (feed-publisher), the week's reports and what the
brand's posts taught (agent-outputs), and the sweep of photos held by runs that no longer
exist (feed-publisher and Temporal's visibility, through the worker's own client). The token
is checked by ``check_meta_token``, as at the start of each run."""

from __future__ import annotations

from datetime import datetime

from pydantic import TypeAdapter
from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.run import PublishReport
from feedpub.contract.tools import PhotoStock

from ..checks.digest import digest_lines, in_week
from ..checks.learned import LEARNING_OFF_WORDS, learned_sentence
from ..checks.models import (
    BrandCheckSettings,
    BrandsToCheck,
    BrandsToCheckInput,
    HeldPhotosSweep,
    PhotoCountInput,
    SweepHeldPhotosInput,
    WeeklyDigest,
    WeeklyDigestInput,
)
from ..mcp_client import McpConnection
from . import held_photos

__all__ = ["CheckActivities"]

_REPORT = TypeAdapter(PublishReport)
MOST_REPORTS = 200
"""The most ``list_reports`` answers at once: more than any brand posts in a week."""


class CheckActivities:
    def __init__(
        self, brands: dict[str, Brand], feed_publisher: McpConnection, agent_outputs: McpConnection
    ) -> None:
        self._brands = brands
        self._feed = feed_publisher
        self._outputs = agent_outputs

    @activity.defn(name="brands_to_check")
    async def brands_to_check(self, request: BrandsToCheckInput) -> BrandsToCheck:
        """The named brands, or all of the brands file, paused and disabled ones too."""
        names = sorted(self._brands) if request.brands is None else request.brands
        unknown = [name for name in names if name not in self._brands]
        if unknown:
            known = ", ".join(sorted(self._brands))
            raise ApplicationError(
                f"unknown brand {', '.join(map(repr, unknown))} (known: {known})",
                type="UnknownBrand",
                non_retryable=True,
            )
        return BrandsToCheck([_settings(self._brands[name]) for name in names])

    @activity.defn(name="count_unused_photos")
    async def count_unused_photos(self, request: PhotoCountInput) -> PhotoStock:
        """How many photos the brand has that were never posted nor rejected."""
        return await self._feed.ask(tools.COUNT_UNUSED_PHOTOS, brand=request.brand)

    @activity.defn(name="weekly_digest")
    async def weekly_digest(self, request: WeeklyDigestInput) -> WeeklyDigest:
        """The digest's lines from the brand's reports of the runs that finished in the week,
        with their posts' figures."""
        since, until = datetime.fromisoformat(request.since), datetime.fromisoformat(request.until)
        # Saved at or after ``since``: a run that finished in the week was saved in it too.
        listed = await self._outputs.ask(
            tools.LIST_REPORTS, brand=request.brand, since=request.since, limit=MOST_REPORTS
        )
        reports = in_week(
            (_REPORT.validate_python(stored.report) for stored in listed.reports), since, until
        )
        lines = digest_lines(
            reports,
            request.time_zone,
            photos_left=request.photos_left,
            days_of_posts=request.days_of_posts,
            insights={stored.run_id: stored.insights for stored in listed.reports},
            learned=await self._learned(request.brand),
        )
        return WeeklyDigest(lines=lines, runs=len(reports))

    async def _learned(self, name: str) -> str:
        brand = self._brands.get(name)
        if brand is not None and brand.learning == "off":
            return LEARNING_OFF_WORDS
        return learned_sentence(await self._outputs.ask(tools.GET_BRAND_TASTES, brand=name))

    @activity.defn(name="sweep_held_photos")
    async def sweep_held_photos(self, request: SweepHeldPhotosInput) -> HeldPhotosSweep:
        """Give back the photos held by runs that closed or that Temporal does not know."""
        return await held_photos.sweep(
            self._feed, activity.client(), self._brands, request.held_for_seconds
        )


def _settings(brand: Brand) -> BrandCheckSettings:
    return BrandCheckSettings(
        brand=brand.name,
        time_zone=brand.time_zone,
        daily_check_time=brand.daily_check_time,
        digest=brand.digest,
        posts_per_day=brand.posts_per_day,
        runway_warn_days=brand.runway_warn_days,
        learning=brand.learning,
    )
