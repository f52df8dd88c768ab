"""The agent-outputs tools on planned slots: a run claims its (brand, slot) before planning it,
releases it when cancelled before the slot, and anyone may list who plans what.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema. The rules live in ``planned_slots``.
"""

from __future__ import annotations

from mcp.server.mcpserver import Context
from pydantic import AwareDatetime

from feedpub.contract.tools import PlannedSlots, SlotClaim

from .context import app_of


async def claim_slot(
    brand: str, slot: AwareDatetime, workflow_id: str, run_id: str, ctx: Context
) -> SlotClaim:
    """Claim the brand's `slot` (ISO 8601 with its offset) for run `run_id`: `claimed` when this
    run holds it now (claiming again answers the same), else `claimed` false and the run that
    holds it. One run plans each slot of a brand."""
    return await app_of(ctx).slots.claim(brand, slot, workflow_id, run_id)


async def release_slot(brand: str, slot: AwareDatetime, run_id: str, ctx: Context) -> bool:
    """Give back the brand's `slot` when run `run_id` holds it (a run cancelled before its
    slot); true when it did, false when another run or none holds it (nothing changes)."""
    return await app_of(ctx).slots.release(brand, slot, run_id)


async def list_planned_slots(
    ctx: Context, brand: str | None = None, since: AwareDatetime | None = None
) -> PlannedSlots:
    """The claimed slots (of one `brand`; from `since` on), earliest first, each with the run
    that plans it; at most 1000."""
    return await app_of(ctx).slots.listed(brand, since)
