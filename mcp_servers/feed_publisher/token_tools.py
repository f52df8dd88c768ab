"""Checking a brand's Meta token before each run, so an expired or expiring token is known
(and raised as a brand alert) before it costs a post."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from pydantic import BaseModel

from mcp_servers._errors import feed_error

from .context import FeedPublisherContext
from .graph import GraphApiError, GraphUnreachable

__all__ = ["EXPIRY_WARNING_DAYS", "TokenHealth", "register_token_tools"]

EXPIRY_WARNING_DAYS = 7
INVALID, EXPIRING = "meta-token:invalid", "meta-token:expiring"


class TokenHealth(BaseModel):
    """What Meta says of the brand's Page access token."""

    brand: str
    valid: bool
    expires_at: datetime | None = None
    """When it expires; None when it does not expire (long-lived Page tokens)."""
    days_left: float | None = None
    problem: str | None = None
    """What is wrong or about to be, in words an operator acts on."""


def register_token_tools(
    server: MCPServer[Any], app_of: Callable[[Context[Any, Any]], FeedPublisherContext]
) -> None:
    @server.tool()
    async def check_meta_token(brand: str, ctx: Context) -> TokenHealth:
        """Ask Meta whether the brand's token is valid and when it expires; raise or clear the
        brand's token alerts accordingly."""
        app = app_of(ctx)
        config = app.brand(brand)
        token = app.meta_token(config)
        try:
            body = await app.graph.get("debug_token", token, {"input_token": token})
        except GraphUnreachable:
            raise feed_error("MetaUnreachable", "no answer from Meta", retryable=True) from None
        except GraphApiError as exc:
            if exc.status >= 500 or exc.is_transient:
                raise feed_error(
                    "MetaTransient", "Meta had a temporary problem", retryable=True
                ) from None
            body = {"data": {"is_valid": False, "error": {"message": exc.message}}}
        health = _health(brand, body.get("data") or {})
        await _alert(app, brand, health)
        return health


def _health(brand: str, data: dict[str, Any]) -> TokenHealth:
    expires = int(data.get("expires_at") or 0)
    expires_at = datetime.fromtimestamp(expires, UTC) if expires else None
    days_left = (expires_at - datetime.now(UTC)).total_seconds() / 86400 if expires_at else None
    if not data.get("is_valid"):
        when = f" (it expired on {expires_at:%Y-%m-%d})" if expires_at else ""
        refused = (
            f"the Page access token of brand '{brand}' is no longer valid{when}; "
            "a new one is needed before anything can be posted"
        )
        return TokenHealth(brand=brand, valid=False, expires_at=expires_at, problem=refused)
    problem = None
    if expires_at is not None and days_left is not None and days_left < EXPIRY_WARNING_DAYS:
        problem = (
            f"the Page access token of brand '{brand}' expires on {expires_at:%Y-%m-%d %H:%M} UTC"
            f" (in {max(days_left, 0):.1f} days); renew it before then"
        )
    return TokenHealth(
        brand=brand, valid=True, expires_at=expires_at, days_left=days_left, problem=problem
    )


async def _alert(app: FeedPublisherContext, brand: str, health: TokenHealth) -> None:
    if not health.valid and health.problem:
        await app.alerts.raise_alert(brand, INVALID, health.problem)
    else:
        await app.alerts.clear(brand, INVALID)
    if health.valid and health.problem:
        await app.alerts.raise_alert(brand, EXPIRING, health.problem)
    else:
        await app.alerts.clear(brand, EXPIRING)
