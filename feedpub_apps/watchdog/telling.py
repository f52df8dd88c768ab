"""Telling what the watchdog found, as the claims decide.

Each notice is claimed on the agent-outputs server first: the claim says whether it is sent,
folded into a follow-up or not told, for every watchdog at once. A sent notice goes to the
brand's destinations that have not taken it yet, and each delivery is recorded, so the next
message mentions the ones that were lost. A window whose follow-up is due is closed, and the
follow-up sent the same way.

Without the claims (agent-outputs away), only the message that Temporal is out of reach is
sent regardless: at least once, at most once a window from this process, and logged.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import cast

from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.contract.notices import LostNotice, Notice, NoticeKind
from feedpub.contract.tools import CLAIM_NOTICE, CLOSE_NOTICE_WINDOW, RECORD_NOTICE_DELIVERY
from temporal_app.mcp_client import McpConnection
from temporal_app.notifications import Delivery, Destinations, Message, render, send_message

__all__ = ["Teller"]

log = logging.getLogger("feedpub.watchdog")

TOLD_WITHOUT_CLAIM: frozenset[str] = frozenset({"temporal_unreachable"})
"""Told even when the claims cannot be asked: Temporal and agent-outputs away together is
the silence the watchdog is for."""
WITHOUT_CLAIM_EVERY = timedelta(hours=6)
"""At most one message told without a claim per kind in this long, from one watchdog."""


class Teller:
    """Claims, sends and records the watchdog's notices."""

    def __init__(
        self,
        outputs: McpConnection,
        destinations: Destinations,
        brands: Mapping[str, Brand],
        console_url: str | None,
    ) -> None:
        self._outputs = outputs
        self._destinations = destinations
        self._brands = brands
        self._console_url = console_url
        self._told_without_claim: dict[str, datetime] = {}
        """Only spaces out the messages sent while the claims are away; the claims decide
        everything else."""

    async def tell(self, notice: Notice) -> list[Delivery]:
        """Claim ``notice`` and send it where the claim says; the deliveries made."""
        try:
            claim = await self._outputs.ask(CLAIM_NOTICE, notice=dataclasses.asdict(notice))
        except Exception as exc:
            return await self._tell_without_claim(notice, exc)
        if not claim.send:
            return []
        brand = self._brands.get(notice.brand)
        message = render(notice, brand, self._console_url, lost=claim.lost, cleared=claim.cleared)
        return await self._send(notice.brand, notice.event_id, message, claim.delivered, claim.lost)

    async def follow_up(self, brand: str, condition: str, now: datetime) -> list[Delivery]:
        """Close the condition's window when its follow-up is due, and send the follow-up."""
        try:
            follow = await self._outputs.ask(CLOSE_NOTICE_WINDOW, brand=brand, condition=condition)
        except ApplicationError as exc:
            if exc.type != "NoticeWindowOpen":  # not yet due: a later round closes it
                log.warning("cannot close the window of %s for %r: %s", condition, brand, exc)
            return []
        except Exception as exc:
            log.warning("cannot close the window of %s for %r: %s", condition, brand, exc)
            return []
        if not follow.send:
            return []
        notice = Notice(follow.event_id, cast(NoticeKind, follow.kind), brand, now.isoformat())
        message = render(notice, self._brands.get(brand), self._console_url, follow_up=follow)
        return await self._send(brand, follow.event_id, message, [], follow.lost)

    async def _send(
        self,
        brand: str,
        event_id: str,
        message: Message,
        delivered: Sequence[str],
        lost: Sequence[LostNotice],
    ) -> list[Delivery]:
        names = [name for name in self._destinations.of(brand) if name not in delivered]
        deliveries = await send_message(self._destinations, names, message, event_id)
        told = [item.event_id for item in lost]
        for delivery in deliveries:
            arguments = {
                "event_id": event_id,
                "brand": brand,
                "destination": delivery.destination,
                "delivered": delivery.delivered,
                "reason": delivery.reason,
                "told_lost": told if delivery.delivered else [],
            }
            try:
                await self._outputs.call(RECORD_NOTICE_DELIVERY, arguments)
            except Exception as exc:
                log.warning("cannot record the delivery of %s: %s", event_id, exc)
        _log_deliveries(event_id, deliveries)
        return deliveries

    async def _tell_without_claim(self, notice: Notice, exc: Exception) -> list[Delivery]:
        log.warning("cannot claim %s on the agent-outputs server: %s", notice.event_id, exc)
        if notice.kind not in TOLD_WITHOUT_CLAIM:
            return []
        now = datetime.fromisoformat(notice.occurred_at)
        last = self._told_without_claim.get(notice.kind)
        if last is not None and now - last < WITHOUT_CLAIM_EVERY:
            return []
        self._told_without_claim[notice.kind] = now
        message = render(notice, self._brands.get(notice.brand), self._console_url)
        names = self._destinations.of(notice.brand)
        deliveries = await send_message(self._destinations, names, message, notice.event_id)
        log.warning("told %s without a claim (agent-outputs away)", notice.event_id)
        _log_deliveries(notice.event_id, deliveries)
        return deliveries


def _log_deliveries(event_id: str, deliveries: Sequence[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.delivered:
            log.info("told %s at %s", event_id, delivery.destination)
        else:
            log.warning(
                "%s not delivered at %s: %s", event_id, delivery.destination, delivery.reason
            )
