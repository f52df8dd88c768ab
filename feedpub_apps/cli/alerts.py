"""``feedpub alerts``: what an operator must fix per brand (e.g. an expired Meta token)."""

from __future__ import annotations

from typing import Any

from feedpub.contract.tools import LIST_BRAND_ALERTS

from ..servers import ask_feed_publisher
from .common import run_command


def register(commands: Any) -> None:
    alerts = commands.add_parser(
        "alerts", help="problems to fix per brand (expired tokens, photos refused in a row...)"
    )
    alerts.set_defaults(handler=lambda args: run_command(show_alerts))


async def show_alerts() -> int:
    found = await ask_feed_publisher(LIST_BRAND_ALERTS, {}, what="read the brand alerts")
    alerts = found.alerts
    if not alerts:
        print("no alerts")
    for alert in alerts:
        since = f"{alert.since:%Y-%m-%d %H:%M %Z}"
        print(f"{alert.brand:<12} {alert.kind:<22} since {since}")
        print(f"{'':<12} {alert.message}")
    return 1 if alerts else 0
