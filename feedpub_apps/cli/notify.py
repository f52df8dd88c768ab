"""``feedpub notify test BRAND``: a test message to each of a brand's destinations, now.

It sends directly, as the worker would (no Temporal, no claim), from the ``NOTIFY_*``
variables of this process's environment (or of the running ``make dev``), and prints one line
per destination: delivered, or not and why. It never prints a URL.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from typing import Any

from feedpub.contract.notices import Notice, event_id_of
from feedpub.settings import SettingsError

from ..servers import AppError
from .common import brand_named, load, run_command

__all__ = ["register"]


def register(commands: Any) -> None:
    notify = commands.add_parser("notify", help="the brands' destinations (e-mail, chat, webhooks)")
    actions = notify.add_subparsers(dest="action", required=True, metavar="ACTION")
    test = actions.add_parser(
        "test",
        help="send a test message to every destination of a brand",
        description="Send a test message to every destination of a brand and say, for each, "
        "whether it was delivered. Exit 0 when all were, 1 otherwise, 2 for a bad setting.",
    )
    test.add_argument("brand", metavar="BRAND")
    test.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")
    test.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="how long each destination may take to answer (default 20)",
    )
    test.set_defaults(handler=lambda args: run_command(lambda: send_test(args)))


async def send_test(args: argparse.Namespace) -> int:
    # apprise loads its plugins on first use: only this command pays for it.
    from temporal_app.notifications import Destinations, render, send_message

    brand = brand_named(args.brand, load(args))
    if not brand.notify_env:
        raise AppError(
            f"brand '{brand.name}' names no destination: add NOTIFY_* variables to its "
            "notify_env (or the top-level one) in the brands file",
            2,
        )
    try:
        destinations = Destinations.from_env({brand.name: brand}, os.environ)
    except SettingsError as exc:
        raise AppError(str(exc), 2) from None
    now = datetime.now(UTC)
    notice = Notice(
        event_id=event_id_of("test", brand.name, now.strftime("%Y%m%dT%H%M%S%fZ")),
        kind="test",
        brand=brand.name,
        occurred_at=now.isoformat(),
    )
    message = render(notice, brand, os.environ.get("CONSOLE_PUBLIC_URL") or None)
    names = destinations.of(brand.name)
    deliveries = await send_message(
        destinations, names, message, notice.event_id, timeout=args.timeout
    )
    width = max(len(name) for name in names)
    for delivery in deliveries:
        said = "delivered" if delivery.delivered else f"not delivered: {delivery.reason}"
        print(f"{delivery.destination:<{width}}  {said}")
    return 0 if all(delivery.delivered for delivery in deliveries) else 1
