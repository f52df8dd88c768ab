"""``feedpub plan [--brand B] [--days 7]``: the coming slots of each brand and what is planned
for them. Runs are read by name through the contract's ``progress`` query; editing and
approving them is ``feedpub approve|edit|reject|another-photo``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from ..brand_plan import read_plan
from ..servers import AppError
from .common import brand_named, connect, load, run_command
from .plan_view import plan_lines

__all__ = ["register"]

MAX_DAYS = 31


def register(commands: Any) -> None:
    plan = commands.add_parser(
        "plan",
        help="the coming slots and what is planned for them",
        description="Each brand's coming slots in its local time: the photo, captions, "
        "revision and approval of the run planned for each, or when it will be planned.",
    )
    plan.add_argument("--brand", metavar="BRAND", help="one brand only")
    plan.add_argument("--days", type=int, default=7, help="how many days ahead (default 7)")
    plan.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")
    plan.set_defaults(handler=lambda args: run_command(lambda: show_plan(args)))


async def show_plan(args: argparse.Namespace) -> int:
    if not 1 <= args.days <= MAX_DAYS:
        raise AppError(f"--days must be between 1 and {MAX_DAYS}, not {args.days}", 2)
    brands = load(args)
    chosen = [brand_named(args.brand, brands)] if args.brand else list(brands.values())
    client = await connect()
    now = datetime.now(UTC)
    blocks = []
    for brand in chosen:
        plan = await read_plan(client, brand)
        blocks.append("\n".join(plan_lines(plan, now, args.days)))
    print("\n\n".join(blocks))
    return 0
