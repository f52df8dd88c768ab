"""The publishing tools of the feed-publisher server: Facebook, Instagram, brand alerts.

Each publishing call runs under the (run, platform) lock of the publication ledger, so a
retry and a cut-off attempt never publish side by side, and whatever Meta answered is
recorded before the tool returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

from mcp_servers._access import READ_ONLY
from mcp_servers._errors import feed_error

from .brand_alerts import BrandAlert
from .context import FeedPublisherContext
from .facebook_flow import FacebookPost, publish_facebook_once
from .graph import GraphApiError, GraphUnreachable, again_when_unanswered
from .graph_errors import classify_graph_error
from .instagram_flow import (
    InstagramMedia,
    InstagramNotReady,
    InstagramQuotaReached,
    publish_instagram_once,
)
from .publication_ledger import FlowBusy, RecordSession

__all__ = ["register_publishing_tools"]

TOKEN_ALERT = "meta-token"
AMBIGUOUS_PAUSES = (0.5, 2.0)
"""Pauses before re-running a flow whose last call's outcome is unknown."""
T = TypeVar("T")


class AlertList(BaseModel):
    alerts: list[BrandAlert]


def register_publishing_tools(
    server: MCPServer[Any], app_of: Callable[[Context[Any, Any]], FeedPublisherContext]
) -> None:
    @server.tool()
    async def publish_facebook_photo(
        brand: str, run_id: str, media_key: str, caption: str, alt_text: str, ctx: Context
    ) -> FacebookPost:
        """Publish the prepared photo `media_key` with `caption` on the brand's Facebook Page,
        once per run: a retry returns the post made by an earlier attempt."""
        app, config = app_of(ctx), app_of(ctx).brand(brand)

        def flow(session: RecordSession, url: str) -> Awaitable[FacebookPost]:
            return publish_facebook_once(
                app.graph, session, token=app.meta_token(config), brand=brand,
                page_id=config.facebook_page_id, media_key=media_key, image_url=url,
                caption=caption, alt_text=alt_text,
            )  # fmt: skip

        return await _publish_once(app, brand, run_id, media_key, "facebook", flow)

    @server.tool()
    async def publish_instagram_photo(
        brand: str, run_id: str, media_key: str, caption: str, alt_text: str, ctx: Context
    ) -> InstagramMedia:
        """Publish the prepared photo `media_key` on the brand's Instagram account, once per
        run (container → FINISHED → quota check → publish; a retry never re-publishes)."""
        app, config = app_of(ctx), app_of(ctx).brand(brand)

        def flow(session: RecordSession, url: str) -> Awaitable[InstagramMedia]:
            return publish_instagram_once(
                app.graph, session, token=app.meta_token(config), brand=brand,
                ig_user_id=config.instagram_user_id, media_key=media_key, image_url=url,
                caption=caption, alt_text=alt_text,
            )  # fmt: skip

        return await _publish_once(app, brand, run_id, media_key, "instagram", flow)

    @server.tool(annotations=READ_ONLY)
    async def list_brand_alerts(ctx: Context) -> AlertList:
        """Problems an operator must act on, per brand (e.g. a Meta token that expired)."""
        return AlertList(alerts=await app_of(ctx).alerts.all())


async def _publish_once(
    app: FeedPublisherContext,
    brand: str,
    run_id: str,
    media_key: str,
    platform: str,
    flow: Callable[[RecordSession, str], Awaitable[T]],
) -> T:
    """Run one platform's flow under its (run, platform) lock. After an answer that leaves the
    outcome unknown (no answer, a 5xx) the flow runs again at once: it starts by reading the
    ledger and Meta, so it finishes what landed instead of sending it again. Past that,
    Temporal's retry policy takes over."""
    url = app.library.presigned_url(
        app.prepared_media_of(app.brand(brand), media_key), app.settings.media_url_ttl_seconds
    )
    async with _PublishingFlow(app, brand, run_id, platform, platform.capitalize()) as session:
        result = await again_when_unanswered(lambda: flow(session, url), AMBIGUOUS_PAUSES)
    await app.alerts.clear(brand, f"{TOKEN_ALERT}:{platform}")
    return result


class _PublishingFlow:
    """Lock the (run, platform) flow and turn its failures into classified tool errors."""

    def __init__(
        self, app: FeedPublisherContext, brand: str, run_id: str, platform: str, label: str
    ) -> None:
        self._app, self._brand, self._label = app, brand, label
        self._alert = f"{TOKEN_ALERT}:{platform}"
        self._flow = app.publications.flow(run_id, platform)
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
                await self._app.alerts.raise_alert(self._brand, self._alert, failure.reason)
            return feed_error(
                failure.type, failure.reason, retryable=failure.retryable,
                meta_code=exc.code, meta_subcode=exc.subcode,
                token_problem=failure.token_problem,
                retry_after_seconds=exc.retry_after_seconds,
            )  # fmt: skip
        return None
