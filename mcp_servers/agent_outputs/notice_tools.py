"""The agent-outputs tools on notices: claim one before telling a team, close a window into
its follow-up, record each destination's delivery, list what was told and the problems told
that are not back to normal yet.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema. The rules live in ``notices``.
"""

from __future__ import annotations

from datetime import datetime

from mcp.server.mcpserver import Context

from feedpub.contract.notices import FollowUp, Notice, NoticeClaim
from feedpub.contract.tools import NoticeList, OpenProblems

from .context import app_of


async def claim_notice(notice: Notice, ctx: Context) -> NoticeClaim:
    """Decide once whether `notice` is told now (`send`), folded into a later follow-up, or not
    told at all; the same event id claimed again gets the same answer. When it is sent, `lost`
    lists the brand's earlier messages that could not be delivered."""
    return await app_of(ctx).claims.claim(notice)


async def close_notice_window(
    brand: str, condition: str, ctx: Context, follow_up_at: datetime | None = None
) -> FollowUp:
    """At the end of a condition's window (`follow_up_at`, as the claim gave it): the repeats
    folded in it, to tell in one follow-up (`send`), once; asked again, the same answer. Fails
    NoticeWindowOpen, to be retried, when asked before the window ends."""
    return await app_of(ctx).windows.close(brand, condition, follow_up_at)


async def record_notice_delivery(
    event_id: str,
    brand: str,
    destination: str,
    delivered: bool,
    reason: str | None,
    told_lost: list[str],
    ctx: Context,
) -> int:
    """Record whether `destination` (its NOTIFY_* variable, never the URL) took message
    `event_id`, and why not; when it did, the lost messages it told of (`told_lost`, event ids)
    are not told again. Answers how many lost messages were marked told."""
    return await app_of(ctx).deliveries.record(
        event_id, brand, destination, delivered=delivered, reason=reason, told_lost=told_lost
    )


async def list_notices(ctx: Context, brand: str | None = None, limit: int = 50) -> NoticeList:
    """The newest notices (of one `brand`; `""` for the stack-wide ones), each with its decision
    and the destinations that took it or failed to. At most 200."""
    return await app_of(ctx).deliveries.listed(brand, limit)


async def list_open_problems(ctx: Context, brand: str | None = None) -> OpenProblems:
    """The problems told to teams (of one `brand`, or of all) that are not back to normal yet:
    each condition still open, the kind told last, since when and when it was last told."""
    return await app_of(ctx).claims.open_problems(brand)
