"""``feedpub checks run``: the brands' daily checks and weekly digest, now."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import WorkflowFailureError

from feedpub.contract.checks import (
    CHECKS,
    CHECKS_WORKFLOW_NAME,
    BrandCheckOutcome,
    BrandChecksReport,
    BrandChecksRequest,
)

from ..servers import AppError
from .common import brand_named, connect, load, run_command, task_queue

__all__ = ["register"]


def register(commands: Any) -> None:
    group = commands.add_parser("checks", help="the brands' daily checks and weekly digest")
    sub = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    text = "check tokens and photos left, and send the digest, now; print what was told"
    run = sub.add_parser("run", help=text, description=text)
    run.add_argument(
        "--brand", action="append", metavar="BRAND", help="this brand only (repeatable)"
    )
    run.add_argument(
        "--only", metavar="CHECKS", help=f"comma-separated, of {', '.join(CHECKS)} (default all)"
    )
    run.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")
    run.set_defaults(handler=lambda args: run_command(lambda: run_checks(args)))


def chosen_checks(only: str | None) -> list[str]:
    if only is None:
        return list(CHECKS)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in CHECKS]
    if unknown or not names:
        raise AppError(
            f"--only: unknown check {', '.join(map(repr, unknown)) or 'none given'}; "
            f"the checks are {', '.join(CHECKS)}",
            2,
        )
    return names


async def run_checks(args: argparse.Namespace) -> int:
    force = chosen_checks(args.only)
    brands = load(args)  # a broken file or an unknown brand stops here, before Temporal
    names = [brand_named(name, brands).name for name in args.brand] if args.brand else None
    client = await connect()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    handle = await client.start_workflow(
        CHECKS_WORKFLOW_NAME,
        BrandChecksRequest(brands=names, force=force),
        result_type=BrandChecksReport,
        id=f"feedpub-checks-manual-{stamp}",
        task_queue=task_queue(),
    )
    print(f"started {handle.id}; waiting for it (Ctrl-C stops the waiting, not the checks)")
    try:
        report = await handle.result()
    except WorkflowFailureError as failure:
        print(f"{handle.id} failed: {failure.cause}")
        return 1
    for outcome in report.brands:
        print("\n".join(outcome_lines(outcome)))
    for line in sweep_lines(report):
        print(line)
    failed = report.sweep_failed or any(outcome.failed for outcome in report.brands)
    return 1 if failed else 0


def outcome_lines(outcome: BrandCheckOutcome) -> list[str]:
    """What one brand's checks found and told, for a terminal."""
    local = datetime.fromisoformat(outcome.local_time)
    if outcome.time_zone:
        local = local.astimezone(ZoneInfo(outcome.time_zone))
    lines = [f"{outcome.brand}  checked {', '.join(outcome.checked)} at {local:%a %d %b %H:%M %Z}"]
    for told in outcome.told:
        again = "  (told before: not again)" if told.told_before else ""
        lines.append(f"   {told.kind:<15} {told.summary}")
        lines.append(f"   {'':<15} event {told.event_id}{again}")
    for check, reason in outcome.failed.items():
        lines.append(f"   could not check {check}: {reason}")
    return lines


def sweep_lines(report: BrandChecksReport) -> list[str]:
    """The photos given back because the runs that held them no longer exist."""
    lines = [
        f"gave back {photo.brand} photo {photo.key}: its run {photo.run_id} is {photo.run_state}"
        for photo in report.freed_photos
    ]
    if report.sweep_failed:
        lines.append(f"could not look at the photos runs hold: {report.sweep_failed}")
    return lines
