"""``feedpub alerts``: what an operator must fix per brand (e.g. an expired Meta token)."""

from __future__ import annotations

from typing import Any

from ..servers import ask_feed_publisher
from .common import run_command


def register(commands: Any) -> None:
    alerts = commands.add_parser(
        "alerts", help="problems to fix per brand (expired tokens, photos refused in a row...)"
    )
    alerts.set_defaults(handler=lambda args: run_command(show_alerts))


async def show_alerts() -> int:
    found = await ask_feed_publisher("list_brand_alerts", {}, what="read the brand alerts")
    alerts = found.get("alerts", [])
    if not alerts:
        print("no alerts")
    for alert in alerts:
        print(f"{alert['brand']:<12} {alert['kind']:<22} since {alert['since']}")
        print(f"{'':<12} {alert['message']}")
    return 1 if alerts else 0
