"""Set up the brands' schedules once and exit: ``RUN_MODE=scheduler``.

    python -m temporal_app.schedules [--prune] [--brands FILE]

A broken brands file or a bad setting is reported (one line per problem, naming the brand and
field, or the variable) before Temporal is touched, with exit code 2; so is a server that has
no ``Brand`` search attribute and does not let us register it. Otherwise one line per brand
says what was done, and one more line for the schedule of every brand's checks. Reads
``BRANDS_FILE`` and ``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``, ``TEMPORAL_TASK_QUEUE``,
``TEMPORAL_API_KEY``, ``TEMPORAL_TLS``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from temporalio.service import RPCError

from feedpub.brands import Brand, BrandsFileError, load_brands
from feedpub.settings import TemporalSettings, load_settings
from feedpub.startup import CONFIGURATION_ERROR, checked

from ..client import TemporalUnreachable, connect_temporal
from ..process_exit import exit_after
from .apply import ScheduleChange, apply_checks_schedule, apply_schedules
from .search_attribute import SearchAttributeUnavailable

__all__ = ["main"]

PROGRAM = "feedpub scheduler"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m temporal_app.schedules",
        description="Make the Temporal Schedules match brands.toml, once.",
    )
    parser.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")
    parser.add_argument(
        "--prune", action="store_true", help="delete schedules of brands no longer in the file"
    )
    args = parser.parse_args(argv)
    path = args.brands or os.environ.get("BRANDS_FILE", "brands.toml")
    try:
        brands = load_brands(path)
    except BrandsFileError as exc:
        print(f"{exc.path}: cannot be used; no schedule was changed:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return CONFIGURATION_ERROR
    settings = checked(PROGRAM, lambda: load_settings(TemporalSettings))
    try:
        changes = asyncio.run(_apply(brands, settings, prune=args.prune))
    except SearchAttributeUnavailable as exc:
        print(f"{PROGRAM}: {exc}", file=sys.stderr)
        return CONFIGURATION_ERROR
    except TemporalUnreachable as exc:
        print(f"{PROGRAM}: {exc}", file=sys.stderr)
        return 1
    except RPCError as exc:
        print(f"{PROGRAM}: Temporal refused: {exc.message}", file=sys.stderr)
        return 1
    for change in changes:
        print("\n".join(change.lines()))
    return 0


async def _apply(
    brands: dict[str, Brand], settings: TemporalSettings, *, prune: bool
) -> list[ScheduleChange]:
    client = await connect_temporal(settings)
    queue = settings.temporal_task_queue
    changes = await apply_schedules(brands, task_queue=queue, prune=prune, client=client)
    return [*changes, await apply_checks_schedule(task_queue=queue, client=client)]


if __name__ == "__main__":
    exit_after(main)
