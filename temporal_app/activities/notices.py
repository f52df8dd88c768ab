"""Telling a brand's team: the claim and the follow-up window on the agent-outputs server, and
sending the message to the brand's destinations."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence

from temporalio import activity

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.notices import FollowUp, Notice, NoticeClaim

from ..mcp_client import McpConnection
from ..models import NoticeWindowInput, SendNoticeInput, SentNotice
from ..notifications import Delivery, Destinations, render, send_message

__all__ = ["NoticeActivities"]

LOOKED_UP = 200
"""How many of the brand's newest notices a retried send looks through for its own event."""


class NoticeActivities:
    def __init__(
        self,
        agent_outputs: McpConnection,
        destinations: Destinations,
        brands: Mapping[str, Brand],
        *,
        console_url: str | None,
        send_timeout: float,
        link_secret: str | None = None,
    ) -> None:
        self._mcp = agent_outputs
        self._destinations = destinations
        self._brands = brands
        self._console_url = console_url
        self._send_timeout = send_timeout
        self._link_secret = link_secret
        """Signs the approval links of the messages, here only: no workflow sees it."""

    @activity.defn(name="claim_notice")
    async def claim_notice(self, notice: Notice) -> NoticeClaim:
        """Whether the notice is sent now, folded into a follow-up, or not told at all: decided
        once per event id by the agent-outputs server."""
        return await self._mcp.ask(tools.CLAIM_NOTICE, notice=dataclasses.asdict(notice))

    @activity.defn(name="close_notice_window")
    async def close_notice_window(self, request: NoticeWindowInput) -> FollowUp:
        """The repeats folded in a condition's window that has ended, to tell in one message."""
        return await self._mcp.ask(
            tools.CLOSE_NOTICE_WINDOW,
            brand=request.brand,
            condition=request.condition,
            follow_up_at=request.follow_up_at.isoformat(),
        )

    @activity.defn(name="send_notice")
    async def send_notice(self, request: SendNoticeInput) -> SentNotice:
        """Render the message and send it to each of the brand's destinations that has not
        taken it yet; record every delivery, and every failure with its reason. A failure is
        not raised: the next message of the brand says that this one was lost."""
        notice, follow_up = request.notice, request.follow_up
        event_id = follow_up.event_id if follow_up else notice.event_id
        names = self._destinations.of(notice.brand)
        taken = set(request.delivered)
        if names and activity.info().attempt > 1:
            # An earlier attempt may have sent to some before it was cut short.
            taken |= await self._delivered(notice.brand, event_id)
        waiting = [name for name in names if name not in taken]
        sent = SentNotice(event_id=event_id, delivered=[n for n in names if n in taken])
        if not waiting:
            return sent
        message = render(
            notice,
            self._brands.get(notice.brand),
            self._console_url,
            lost=request.lost,
            follow_up=follow_up,
            cleared=request.cleared,
            link_secret=self._link_secret,
        )
        told = [lost.event_id for lost in request.lost]

        async def deliver(name: str) -> Delivery:
            # Recorded as soon as it is known: a retry after a failure elsewhere (a record
            # refused, the worker gone) skips every destination that took it already.
            [delivery] = await send_message(
                self._destinations, [name], message, event_id, timeout=self._send_timeout
            )
            await self._record(event_id, notice.brand, delivery, told)
            return delivery

        deliveries = await asyncio.gather(*(deliver(name) for name in waiting))
        for delivery in deliveries:
            if delivery.delivered:
                sent.delivered.append(delivery.destination)
            else:
                sent.failed[delivery.destination] = delivery.reason or "not delivered"
        return sent

    async def _delivered(self, brand: str, event_id: str) -> set[str]:
        """The destinations that took this event already (an earlier attempt of this send)."""
        found = await self._mcp.ask(tools.LIST_NOTICES, brand=brand, limit=LOOKED_UP)
        for record in found.notices:
            if record.event_id == event_id:
                return set(record.delivered)
        return set()

    async def _record(
        self, event_id: str, brand: str, delivery: Delivery, told_lost: Sequence[str]
    ) -> None:
        await self._mcp.call(
            tools.RECORD_NOTICE_DELIVERY,
            {
                "event_id": event_id,
                "brand": brand,
                "destination": delivery.destination,
                "delivered": delivery.delivered,
                "reason": delivery.reason,
                "told_lost": list(told_lost),
            },
        )
