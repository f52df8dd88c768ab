"""A planned run's look before its slot: is the brand still in the brands file and enabled, its
slot still one of its posting times, its schedule not paused, its photo still in S3, and do
its captions keep the brand's rules as they stand now?

The brands file is read again at each look: the run was planned hours ago, from the file as it
was then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from temporalio import activity
from temporalio.client import Client

from feedpub.brands import Brand, BrandsFileError, load_brands
from feedpub.contract import tools
from feedpub.contract.run import Captions
from feedpub.posting_slots import clock_time

from ..captions.checks import caption_problems
from ..mcp_client import McpConnection
from ..models import SlotCheck, SlotCheckInput, SlotProblem
from ..schedules._rpc import is_not_found

__all__ = ["SlotActivities"]

log = logging.getLogger("feedpub.worker")


class SlotActivities:
    def __init__(
        self,
        brands_file: Path | str,
        started_with: Mapping[str, Brand],
        feed_publisher: McpConnection,
        temporal: Client | None,
    ) -> None:
        self._brands_file = Path(brands_file)
        self._started_with = started_with
        self._feed = feed_publisher
        self._temporal = temporal

    @activity.defn(name="check_at_slot")
    async def check_at_slot(self, request: SlotCheckInput) -> SlotCheck:
        """What keeps the planned post from going out as planned; nothing when all is well."""
        brand = (await asyncio.to_thread(self._brands)).get(request.brand)
        if brand is None:
            return SlotCheck(
                [SlotProblem("brand_removed", f"brand '{request.brand}' is no longer in the "
                             f"brands file ({self._brands_file.name})")]
            )  # fmt: skip
        problems = []
        if not brand.enabled:
            problems.append(
                SlotProblem("brand_disabled", "the brand is disabled in the brands file")
            )
        if request.scheduled and not _on_posting_time(brand, request.slot):
            problems.append(
                SlotProblem(
                    "slot_removed", "its time is no longer one of the brand's posting_times"
                )
            )
        if await self._paused(brand):
            problems.append(SlotProblem("schedule_paused", "the brand's schedule is paused"))
        if request.photo_key and not await self._stored(brand.name, request.photo_key):
            problems.append(
                SlotProblem("photo_missing", f"photo '{request.photo_key}' was deleted from S3")
            )
        if request.captions is not None and (found := _caption_problems(request.captions, brand)):
            reason = "the captions break the brand's rules: " + "; ".join(found)
            problems.append(SlotProblem("captions_break_rules", reason))
        return SlotCheck(problems)

    def _brands(self) -> Mapping[str, Brand]:
        try:
            return load_brands(self._brands_file)
        except BrandsFileError as exc:
            # A file broken while runs wait must not cost their posts: the worker's copy stands.
            log.warning("looking at the slot with the brands the worker started with: %s", exc)
            return self._started_with

    async def _paused(self, brand: Brand) -> bool:
        if self._temporal is None:
            return False
        try:
            described = await self._temporal.get_schedule_handle(brand.schedule_id).describe()
        except Exception as exc:
            if is_not_found(exc):
                return False  # a run planned by hand, for a brand without a schedule
            raise
        return described.schedule.state.paused

    async def _stored(self, brand: str, key: str) -> bool:
        found = await self._feed.ask(tools.PHOTO_STORED, brand=brand, key=key)
        return found.stored


def _on_posting_time(brand: Brand, slot: str) -> bool:
    local = datetime.fromisoformat(slot).astimezone(ZoneInfo(brand.time_zone))
    return any(
        clock_time(text) == local.time().replace(second=0, microsecond=0)
        for text in brand.posting_times
    )


def _caption_problems(captions: Captions, brand: Brand) -> list[str]:
    """The brand's rules the captions break now. Their language was judged when they were
    written (on Claude's text, before the brand's own lines were added) and is not again."""
    as_published = {
        "facebook": captions.facebook,
        "instagram": captions.instagram,
        "alt_text": captions.alt_text,
    }
    return caption_problems(as_published, {}, brand)
