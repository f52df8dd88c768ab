"""``feedpub schedules apply|pause|unpause|trigger|list|delete|backfill``: a schedule per brand."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import Client, ScheduleActionExecutionStartWorkflow
from temporalio.service import RPCError, RPCStatusCode

from temporal_app.schedules import (
    BrandDisabled,
    SearchAttributeUnavailable,
    apply_checks_schedule,
    apply_schedules,
    backfill_schedule,
    cancel_planned_runs,
    delete_schedule,
    describe_brand_schedules,
    describe_checks_schedule,
    format_brand_schedule,
    format_checks_schedule,
    pause_brand,
    trigger_schedule_now,
    unpause_brand,
)

from ..servers import AppError
from .common import brand_named, connect, load, run_command, task_queue

__all__ = ["register"]

_Body = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]
TRIGGER_WAIT_SECONDS = 10.0
"""How long ``trigger`` watches for the run it asked for before saying none started."""


def register(commands: Any) -> None:
    group = commands.add_parser("schedules", help="the brands' Temporal Schedules")
    sub = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")

    def add(name: str, text: str, body: _Body) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=text, description=text, parents=[shared])
        parser.set_defaults(handler=lambda args: run_command(lambda: body(args)))
        return parser

    add("apply", "make the schedules match brands.toml", apply).add_argument(
        "--prune", action="store_true", help="delete schedules of brands no longer in the file"
    )
    for name, text in (
        ("pause", "stop a brand's posts and cancel those planned"),
        ("unpause", "resume a brand's posts (cancelled ones are not planned again)"),
    ):
        parser = add(name, text, pause_or_unpause)
        parser.add_argument("brand", metavar="BRAND")
        parser.add_argument("note", metavar="NOTE", nargs="?", help="why (shown by list)")
    add("trigger", "start a brand's post now", trigger).add_argument("brand", metavar="BRAND")
    add("list", "state, next runs and last run of each brand", show)
    add("delete", "delete a brand's schedule", delete).add_argument("brand", metavar="BRAND")
    backfill = add("backfill", "take the slots of a past period now", run_backfill)
    backfill.add_argument("brand", metavar="BRAND")
    for edge in ("--start", "--end"):
        backfill.add_argument(
            edge, required=True, metavar="ISO", help="ISO time; without offset: brand's zone"
        )


async def apply(args: argparse.Namespace) -> int:
    brands = load(args)  # a broken file stops here, before Temporal is reached
    client = await connect()
    try:
        changes = await apply_schedules(
            brands, task_queue=task_queue(), prune=args.prune, client=client
        )
        changes.append(await apply_checks_schedule(task_queue=task_queue(), client=client))
    except SearchAttributeUnavailable as exc:
        raise AppError(str(exc), 2) from None
    for change in changes:
        print("\n".join(change.lines()))
    return 0


async def pause_or_unpause(args: argparse.Namespace) -> int:
    brand = brand_named(args.brand, load(args))
    if args.action == "unpause" and not brand.enabled:
        raise AppError(str(BrandDisabled(brand.name)), 2)
    client = await connect()
    if args.action == "pause":
        cancellation = await _on_schedule(
            brand.schedule_id, lambda c: pause_brand(brand, args.note, client=c), client
        )
    else:
        await _on_schedule(
            brand.schedule_id, lambda c: unpause_brand(brand, args.note, client=c), client
        )
    print(f"{brand.schedule_id}: {args.action}d" + (f" — {args.note}" if args.note else ""))
    if args.action == "pause" and (cancellation.found or brand.planned):
        print("\n".join(cancellation.lines()))
    elif args.action == "unpause" and brand.planned:
        print(
            "the slots whose planned posts a pause cancelled stay empty; "
            "`feedpub plan` shows what is planned"
        )
    return 0


async def trigger(args: argparse.Namespace) -> int:
    brand = brand_named(args.brand, load(args))
    client = await connect()
    handle = client.get_schedule_handle(brand.schedule_id)
    before = await _on_schedule(brand.schedule_id, lambda _: handle.describe(), client)
    seen = {_workflow_id(result.action) for result in before.info.recent_actions}
    await trigger_schedule_now(brand.schedule_id, client=client)
    deadline = time.monotonic() + TRIGGER_WAIT_SECONDS
    while time.monotonic() < deadline:
        for result in (await handle.describe()).info.recent_actions:
            if _workflow_id(result.action) not in seen:
                print(f"started {_workflow_id(result.action)}")
                return 0
        await asyncio.sleep(0.5)
    # A planned brand's schedule lets every run start (allow_all): only an at-slot brand's
    # overlap policy can skip a trigger.
    why = (
        ""
        if brand.planned
        else (f"; with overlap '{brand.overlap}' a trigger is skipped while a run is going")
    )
    print(
        f"{brand.schedule_id}: triggered, but no run started within {TRIGGER_WAIT_SECONDS:.0f} s"
        f"{why} (see `feedpub schedules list`)"
    )
    return 1


async def show(args: argparse.Namespace) -> int:
    client = await connect()
    views = await describe_brand_schedules(load(args), client=client)
    blocks = [format_brand_schedule(view) for view in views]
    blocks.append(format_checks_schedule(await describe_checks_schedule(client=client)))
    print("\n\n".join("\n".join(block) for block in blocks))
    return 0


async def delete(args: argparse.Namespace) -> int:
    brand = brand_named(args.brand, load(args))
    client = await connect()
    await _on_schedule(
        brand.schedule_id, lambda c: delete_schedule(brand.schedule_id, client=c), client
    )
    print(f"{brand.schedule_id}: deleted; `feedpub schedules apply` creates it again")
    # The runs the schedule planned outlive it: without this they would still post.
    cancellation = await cancel_planned_runs(client, brand)
    if cancellation.found or brand.planned:
        print("\n".join(cancellation.lines()))
    return 0


async def run_backfill(args: argparse.Namespace) -> int:
    brand = brand_named(args.brand, load(args))
    zone = ZoneInfo(brand.time_zone)
    start, end = (_moment(text, zone) for text in (args.start, args.end))
    if start >= end:
        raise AppError("--start must be before --end", 2)
    await _on_schedule(
        brand.schedule_id, lambda c: backfill_schedule(brand.schedule_id, start, end, client=c)
    )
    print(f"{brand.schedule_id}: backfill asked for the slots after {start} up to {end}")
    return 0


def _workflow_id(action: object) -> str:
    return action.workflow_id if isinstance(action, ScheduleActionExecutionStartWorkflow) else ""


def _moment(text: str, zone: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AppError(f"not an ISO time: {text!r} (e.g. 2026-11-20T09:00)", 2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


async def _on_schedule(
    schedule_id: str,
    operation: Callable[[Client], Coroutine[Any, Any, Any]],
    client: Client | None = None,
) -> Any:
    """Run ``operation``; a missing schedule becomes a clear error instead of a traceback."""
    try:
        return await operation(client or await connect())
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise AppError(
                f"no schedule '{schedule_id}' in Temporal: run `feedpub schedules apply`"
            ) from None
        raise
