"""``feedpub alerts``: what an operator must fix per brand (e.g. an expired Meta token)."""

from __future__ import annotations

import os
from typing import Any

from .common import CliError, run_command


def register(commands: Any) -> None:
    alerts = commands.add_parser(
        "alerts", help="problems to fix per brand (expired tokens, photos refused in a row...)"
    )
    alerts.set_defaults(handler=lambda args: run_command(show_alerts))


async def show_alerts() -> int:
    url = os.environ.get("FEED_PUBLISHER_MCP_URL", "http://127.0.0.1:8765/mcp")
    token = os.environ.get("MCP_AUTH_TOKEN", "")
    if not token:
        raise CliError("MCP_AUTH_TOKEN must be set to ask the feed-publisher server", 2)
    from temporal_app.mcp_sessions import McpConnection  # the MCP client: only when it is used

    server = McpConnection("feed-publisher", url, token, timeout=30)
    try:
        found = await server.call_structured("list_brand_alerts", {})
    except Exception as exc:
        raise CliError(f"cannot ask the feed-publisher server at {url}: {exc}") from None
    finally:
        await server.close()
    alerts = found.get("alerts", [])
    if not alerts:
        print("no alerts")
    for alert in alerts:
        print(f"{alert['brand']:<12} {alert['kind']:<22} since {alert['since']}")
        print(f"{'':<12} {alert['message']}")
    return 1 if alerts else 0
