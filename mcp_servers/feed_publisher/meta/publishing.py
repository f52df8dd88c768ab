"""Publishing once per (run, platform), with failures turned into classified tool errors.

Each publishing call runs under the (run, platform) lock of the publication ledger, so a
retry, a cut-off attempt and another revision of the post never publish side by side, and
whatever Meta answered is recorded before the tool returns. A refused token or permission
raises the brand's alert for the platform; the next post that goes through clears it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError

from mcp_servers._errors import feed_error

from ..library.alerts import BrandAlerts
from .graph import GraphApiError, GraphUnreachable, again_when_unanswered
from .graph_errors import classify_graph_error
from .instagram_flow import InstagramNotReady, InstagramQuotaReached
from .publication_ledger import FlowBusy, PublicationLedger, RecordSession, RevisionRefused

__all__ = ["publish_once"]

TOKEN_ALERT = "meta-token"
AMBIGUOUS_PAUSES = (0.5, 2.0)
"""Pauses before re-running a flow whose last call's outcome is unknown."""
T = TypeVar("T")


async def publish_once(
    ledger: PublicationLedger,
    alerts: BrandAlerts,
    *,
    brand: str,
    run_id: str,
    platform: str,
    flow: Callable[[RecordSession], Awaitable[T]],
    revision: int = 0,
) -> T:
    """Run one platform's flow for ``revision`` of the post under its (run, platform) lock.
    After an answer that leaves the outcome unknown (no answer, a 5xx) the flow runs again at
    once: it starts by reading the ledger and Meta, so it finishes what landed instead of
    sending it again. Past that, Temporal's retry policy takes over."""
    label = platform.capitalize()
    publishing = _PublishingFlow(ledger, alerts, brand, (run_id, platform, revision), label)
    async with publishing as session:
        result = await again_when_unanswered(lambda: flow(session), AMBIGUOUS_PAUSES)
    await alerts.clear(brand, f"{TOKEN_ALERT}:{platform}")
    return result


class _PublishingFlow:
    """Lock the (run, platform) flow and turn its failures into classified tool errors."""

    def __init__(
        self,
        ledger: PublicationLedger,
        alerts: BrandAlerts,
        brand: str,
        key: tuple[str, str, int],
        label: str,
    ) -> None:
        run_id, platform, revision = key
        self._alerts, self._brand, self._label = alerts, brand, label
        self._alert = f"{TOKEN_ALERT}:{platform}"
        self._flow = ledger.flow(run_id, platform, revision)
        self._session: Any = None

    async def __aenter__(self) -> Any:
        try:
            self._session = await self._flow.__aenter__()
        except FlowBusy as exc:
            raise feed_error("PublishInProgress", str(exc), retryable=True) from None
        return self._session

    async def __aexit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        try:
            if exc is not None and not isinstance(exc, ToolError):
                error = await self._classify(exc)
                if error is not None:
                    await self._session.update(last_error=str(error)[:1000])
                    raise error from None
            return False
        finally:
            await self._flow.__aexit__(kind, exc, tb)

    async def _classify(self, exc: BaseException) -> ToolError | None:
        label = self._label
        if isinstance(exc, GraphUnreachable):
            return feed_error("MetaUnreachable", f"{label}: no answer from Meta", retryable=True)
        if isinstance(exc, RevisionRefused):
            return feed_error("RevisionRefused", str(exc), retryable=False)
        if isinstance(exc, InstagramQuotaReached):
            return feed_error(
                "InstagramQuotaReached",
                f"Instagram: the account reached its daily publishing limit ({exc}); "
                "this photo was not posted there",
                retryable=False,
            )
        if isinstance(exc, InstagramNotReady):
            return feed_error(
                "InstagramContainerFailed",
                f"Instagram: Meta did not finish processing the photo (status {exc.status})",
                retryable=exc.status != "ERROR",
            )
        if isinstance(exc, GraphApiError):
            failure = classify_graph_error(exc, label)
            if failure.token_problem:
                await self._alerts.raise_alert(self._brand, self._alert, failure.reason)
            return feed_error(
                failure.type, failure.reason, retryable=failure.retryable,
                meta_code=exc.code, meta_subcode=exc.subcode,
                token_problem=failure.token_problem,
                retry_after_seconds=exc.retry_after_seconds,
            )  # fmt: skip
        return None
