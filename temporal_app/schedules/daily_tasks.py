"""Set up the brands' schedules once and exit: ``RUN_MODE=scheduler``.

    python -m temporal_app.schedules.daily_tasks [--prune] [--brands FILE]

A broken brands file is reported (one line per problem, naming brand and field) before
Temporal is touched, with exit code 2. Otherwise one line per brand says what was done.
Reads ``BRANDS_FILE``, ``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``, ``TEMPORAL_TASK_QUEUE``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from feedpub.brands import BrandsFileError, load_brands

from ..process_exit import exit_after
from .apply import apply_schedules

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m temporal_app.schedules.daily_tasks",
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
        return 2
    task_queue = os.environ.get("TEMPORAL_TASK_QUEUE", "agent-tasks")
    changes = asyncio.run(apply_schedules(brands, task_queue=task_queue, prune=args.prune))
    for change in changes:
        print(change.line())
    return 0


if __name__ == "__main__":
    exit_after(main)
