"""``make run``'s planned post: one brand's post planned a minute and a half ahead, its captions
written through a Message Batch, the plan shown as ``feedpub plan`` shows it, and the post
published at its slot.

The brand cuts its batch a minute before the slot (``batch_cutoff = "1m"``, the shortest) in a
copy of the brands file, so a slot this near still leaves the batch time to end: ``make run``'s
emulator ends every batch 5 seconds after it is made, and the run looks at it at the cut-off.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from feedpub.brands import Brand, parse_brands
from feedpub.contract.run import PROGRESS, WORKFLOW_NAME, Progress, PublishReport, PublishRequest
from feedpub.contract.schedules import BRAND_SEARCH_ATTRIBUTE
from feedpub_apps.brand_plan import BrandPlan
from feedpub_apps.cli.plan_view import plan_lines
from temporal_app.schedules import planned_runs

from .stack import EmbeddedStack

__all__ = ["AHEAD", "planned_brand", "show_plan", "slot_line", "start_planned", "with_short_cutoff"]

AHEAD = timedelta(seconds=100)
"""How far ahead the post is planned: the plan takes a few seconds, the batch's cut-off comes
40 s after the start, and the slot a minute later."""
CUTOFF = "1m"
READY_STEPS = ("planned", "awaiting_approval")


def planned_brand(brands: dict[str, Brand]) -> str | None:
    """The first brand that plans ahead, the one ``make run`` plans a post for."""
    return next((name for name, brand in brands.items() if brand.planned), None)


def with_short_cutoff(source: Path, folder: Path) -> Path:
    """A copy of the brands file ``source`` in ``folder`` where its first planned brand cuts
    its caption batch one minute before the slot."""
    text = source.read_text(encoding="utf-8")
    name = planned_brand(_brands(text))
    if name is not None:
        header = f"[brands.{name}]\n"
        start = text.index(header) + len(header)
        table_end = re.search(r"^\[", text[start:], re.MULTILINE)
        end = start + table_end.start() if table_end else len(text)
        table = re.sub(r"^batch_cutoff\s*=.*\n", "", text[start:end], flags=re.MULTILINE)
        text = text[:start] + f'batch_cutoff = "{CUTOFF}"\n' + table + text[end:]
    copy = folder / source.name
    copy.write_text(text, encoding="utf-8")
    return copy


async def start_planned(
    client: Client, stack: EmbeddedStack, brand: str, slot: datetime | None = None
) -> WorkflowHandle[Any, PublishReport]:
    """Plan one post of ``brand`` for ``slot`` (default: ``AHEAD`` from now), carrying the
    ``Brand`` search attribute as the runs its schedule starts do."""
    slot = slot or (datetime.now(UTC) + AHEAD).replace(microsecond=0)
    attribute = SearchAttributeKey.for_keyword(BRAND_SEARCH_ATTRIBUTE)
    return await client.start_workflow(
        WORKFLOW_NAME,
        PublishRequest(brand=brand, slot=slot.isoformat()),
        result_type=PublishReport,
        id=f"{brand}-planned-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
        search_attributes=TypedSearchAttributes([SearchAttributePair(attribute, brand)]),
    )


async def show_plan(
    client: Client,
    brand: Brand,
    handle: WorkflowHandle[Any, PublishReport],
    say: Callable[[str], Any],
) -> None:
    """Wait until the plan is ready (or the run has ended), then print the brand's plan as
    ``feedpub plan`` shows it."""
    deadline = asyncio.get_running_loop().time() + AHEAD.total_seconds()
    while asyncio.get_running_loop().time() < deadline:
        progress = await handle.query(PROGRESS, result_type=Progress)
        if progress.step in (*READY_STEPS, "done"):
            break
        await asyncio.sleep(0.3)
    runs, unread = await planned_runs(client, brand.name)
    # make run applies no schedule: the brand's own slots are not planned, only this post.
    plan = BrandPlan(brand, runs, "missing", unread)
    say("\n".join(plan_lines(plan, datetime.now(UTC), days=1)))


def slot_line(report: PublishReport, zone: str) -> str:
    """When the planned post went out, against its slot."""
    if not (report.slot and report.published_at):
        return f"   slot       {report.slot or '-'}: not published ({report.status})"
    slot = datetime.fromisoformat(report.slot)
    began = (datetime.fromisoformat(report.published_at) - slot).total_seconds()
    # Both platforms publish side by side: the post is out when the slower one is done.
    out = began + max(report.timings.get(f"publish_{p}", 0.0) for p in ("facebook", "instagram"))
    local = slot.astimezone(ZoneInfo(zone))
    return (
        f"   slot       {local:%H:%M:%S %Z}: publishing began {began:.1f} s after it, the post "
        f"was out {out:.1f} s after it; captions: {report.captions_via or '-'}"
    )


def _brands(text: str) -> dict[str, Brand]:
    return parse_brands(tomllib.loads(text))
