"""One round of the watchdog: read the schedules and the last posts, decide, tell.

The round reads what it needs afresh each time: the brands' schedules from Temporal and their
last posts from the agent-outputs server. What it tells goes through the claims, so two
watchdogs, or one restarted, tell as one. ``now`` is given, so a round can be run at any
moment (a test runs one days ahead).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from feedpub.brands import Brand
from feedpub.contract.notices import Notice
from feedpub.contract.tools import LIST_REPORTS
from feedpub.settings import WatchdogSettings
from temporal_app.client import TemporalUnreachable, connect_temporal
from temporal_app.mcp_client import McpConnection
from temporal_app.notifications import Destinations

from .rules import PAUSED, POSTING, TEMPORAL, back_to_normal, brand_notices, temporal_unreachable
from .schedule_facts import ScheduleFacts
from .telling import Teller

__all__ = ["Watchdog"]

log = logging.getLogger("feedpub.watchdog")

TEMPORAL_TIMEOUT = timedelta(seconds=10)
"""How long Temporal has to answer a round's call before it counts as out of reach."""
POSTED = ("published", "partial")
"""A run that reached at least one platform has posted."""
_REFUSED = re.compile(r"connection refused|dns error|timed out|deadline", re.IGNORECASE)


class Watchdog:
    """Watches the brands of ``brands``; ``round(now)`` checks them once."""

    def __init__(
        self, settings: WatchdogSettings, brands: Mapping[str, Brand], destinations: Destinations
    ) -> None:
        self._settings = settings
        self._brands = brands
        self._outputs = McpConnection(
            "agent-outputs",
            settings.agent_outputs_mcp_url,
            settings.mcp_notify_token.get_secret_value(),
            timeout=30,
        )
        self._teller = Teller(self._outputs, destinations, brands, settings.console_public_url)
        self._client: Client | None = None

    async def round(self, now: datetime) -> list[Notice]:
        """Check every enabled brand as of ``now``; the notices raised (told or folded as
        the claims decided)."""
        watched = [brand for brand in self._brands.values() if brand.enabled]
        try:
            schedules = await self._schedules(watched)
        except TemporalUnreachable as exc:
            await self._teller.follow_up("", TEMPORAL, now)
            notices = [temporal_unreachable(self._settings.temporal_address, str(exc), now)]
            await self._tell(notices)
            return notices
        notices = [back_to_normal("", [TEMPORAL], now)]
        last_posts = await asyncio.gather(*(self._last_post(brand) for brand in watched))
        for brand, facts, (posts_read, last_post) in zip(
            watched, schedules, last_posts, strict=True
        ):
            notices += brand_notices(brand, facts, now, last_post=last_post, posts_read=posts_read)
        # Windows due are closed before this round's repeats are claimed into a new one.
        await asyncio.gather(
            self._teller.follow_up("", TEMPORAL, now),
            *(
                self._teller.follow_up(brand.name, condition, now)
                for brand in watched
                for condition in (POSTING, PAUSED)
            ),
        )
        await self._tell(notices)
        return notices

    async def close(self) -> None:
        await self._outputs.close()

    async def _tell(self, notices: list[Notice]) -> None:
        await asyncio.gather(*(self._teller.tell(notice) for notice in notices))

    async def _schedules(self, brands: list[Brand]) -> list[ScheduleFacts | None]:
        """Each brand's schedule (None: it has none); TemporalUnreachable when Temporal does
        not answer, or refuses to."""
        client = self._client or await self._connect()
        self._client = client
        try:
            return list(await asyncio.gather(*(self._describe(client, brand) for brand in brands)))
        except RPCError as exc:
            self._client = None  # a new connection next round
            raise TemporalUnreachable(_plain(exc.message)) from None

    async def _connect(self) -> Client:
        try:
            return await asyncio.wait_for(
                connect_temporal(self._settings), TEMPORAL_TIMEOUT.total_seconds()
            )
        except TimeoutError:
            raise TemporalUnreachable(f"no answer in {TEMPORAL_TIMEOUT.seconds} s") from None
        except TemporalUnreachable as exc:
            raise TemporalUnreachable(_plain(str(exc))) from None

    async def _describe(self, client: Client, brand: Brand) -> ScheduleFacts | None:
        handle = client.get_schedule_handle(brand.schedule_id)
        try:
            return ScheduleFacts.of(await handle.describe(rpc_timeout=TEMPORAL_TIMEOUT))
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return None
            raise

    async def _last_post(self, brand: Brand) -> tuple[bool, datetime | None]:
        """(whether the reports could be read, when the brand last posted)."""
        try:
            found = await asyncio.gather(
                *(
                    self._outputs.ask(LIST_REPORTS, brand=brand.name, status=status, limit=1)
                    for status in POSTED
                )
            )
        except Exception as exc:
            log.warning(
                "cannot read the reports of %s on the agent-outputs server: %s", brand.name, exc
            )
            return False, None
        return True, max(
            (listed.reports[0].created_at for listed in found if listed.reports), default=None
        )


def _plain(reason: str) -> str:
    """The part of a connection error a team can read: "connection refused", not the
    transport's nested description."""
    found = _REFUSED.search(reason)
    return found.group(0).lower() if found else reason.removeprefix("Failed client connect: ")[:200]
