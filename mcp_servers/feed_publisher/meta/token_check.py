"""Checking a brand's Meta token before each run, so an expired or expiring token is known
(and raised as a brand alert) before it costs a post.

Only Meta saying so makes a token invalid (error 190/102, or ``is_valid: false``): a throttled
or garbled answer is retried and raises no alert, since a false alert sends an operator to
renew a token that works.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from feedpub.contract.tools import TokenHealth
from mcp_servers._errors import feed_error

from ..library.alerts import BrandAlerts
from .graph import GraphApiError, GraphClient, GraphUnreachable
from .graph_errors import classify_token_check

__all__ = ["EXPIRY_WARNING_DAYS", "check_token", "read_token"]

EXPIRY_WARNING_DAYS = 7
INVALID, EXPIRING = "meta-token:invalid", "meta-token:expiring"
PERMISSION = "meta-token:permission"


async def check_token(
    graph: GraphClient, alerts: BrandAlerts, *, brand: str, token: str
) -> TokenHealth:
    """What Meta says of the brand's ``token``; the brand's token alerts raised or cleared
    accordingly."""

    async def permission_refused(reason: str) -> None:
        await alerts.raise_alert(brand, PERMISSION, reason)

    health = await read_token(graph, brand=brand, token=token, refused=permission_refused)
    await _alert(alerts, brand, health)
    return health


async def read_token(
    graph: GraphClient,
    *,
    brand: str,
    token: str,
    refused: Callable[[str], Awaitable[None]] | None = None,
) -> TokenHealth:
    """What Meta says of the brand's ``token``, and nothing changed: the alerts are the checks'
    to raise and clear. ``refused`` hears of a permission Meta refused before it is raised."""
    try:
        body = await graph.get("debug_token", token, {"input_token": token})
    except GraphUnreachable:
        raise feed_error("MetaUnreachable", "no answer from Meta", retryable=True) from None
    except GraphApiError as exc:
        failure = classify_token_check(exc)
        if failure.type != "MetaTokenInvalid":
            if failure.token_problem and refused is not None:
                await refused(failure.reason)
            raise feed_error(
                failure.type, failure.reason, retryable=failure.retryable,
                meta_code=exc.code, retry_after_seconds=failure.retry_after_seconds,
            ) from None  # fmt: skip
        body = {"data": {"is_valid": False}}
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("is_valid"), bool):
        raise feed_error(
            "MetaTransient", "Meta token check: Meta's answer said nothing of the token",
            retryable=True,
        )  # fmt: skip
    return _health(brand, data)


def _expiry(value: object) -> datetime | None:
    """Meta's ``expires_at`` (seconds since 1970; 0: never); None also when it is no date."""
    try:
        seconds = int(value or 0)  # type: ignore[call-overload]
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _health(brand: str, data: dict[str, Any]) -> TokenHealth:
    expires_at = _expiry(data.get("expires_at"))
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


async def _alert(alerts: BrandAlerts, brand: str, health: TokenHealth) -> None:
    if not health.valid and health.problem:
        await alerts.raise_alert(brand, INVALID, health.problem)
    else:
        await alerts.clear(brand, INVALID)
    if health.valid and health.problem:
        await alerts.raise_alert(brand, EXPIRING, health.problem)
    else:
        await alerts.clear(brand, EXPIRING)
    if health.valid:
        await alerts.clear(brand, PERMISSION)
