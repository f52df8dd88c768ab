"""Publishing activities: Facebook and Instagram, the read-back of what went live, and the
brand's token, through the feed-publisher MCP server."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from temporalio import activity

from feedpub.contract import tools
from feedpub.contract.after_publishing import LiveCheck
from feedpub.contract.run import PlatformResult

from ..mcp_client import McpConnection
from ..models import PublishInput, TokenCheck, TokenCheckInput, VerifyPostInput

_MOMENT = TypeAdapter(datetime)


class PublishActivities:
    def __init__(self, feed_publisher: McpConnection) -> None:
        self._mcp = feed_publisher

    def _arguments(self, request: PublishInput) -> dict[str, Any]:
        return dataclasses.asdict(request)

    @activity.defn(name="publish_facebook")
    async def publish_facebook(self, request: PublishInput) -> PlatformResult:
        """Publish the photo on the brand's Facebook Page."""
        post = await self._mcp.ask(tools.PUBLISH_FACEBOOK_PHOTO, **self._arguments(request))
        return PlatformResult(platform="facebook", status="published", post_id=post.post_id)

    @activity.defn(name="publish_instagram")
    async def publish_instagram(self, request: PublishInput) -> PlatformResult:
        """Publish the photo on the brand's Instagram account (container, wait, publish)."""
        media = await self._mcp.ask(tools.PUBLISH_INSTAGRAM_PHOTO, **self._arguments(request))
        return PlatformResult(
            platform="instagram",
            status="published",
            post_id=media.media_id,
            permalink=media.permalink,
        )

    @activity.defn(name="verify_post")
    async def verify_post(self, request: VerifyPostInput) -> LiveCheck:
        """Read the published post back and compare it with what was sent."""
        return await self._mcp.ask(tools.VERIFY_POST, **dataclasses.asdict(request))

    @activity.defn(name="check_meta_token")
    async def check_meta_token(self, request: TokenCheckInput) -> TokenCheck:
        """Ask Meta (through the server that holds the token) whether the brand's token works."""
        found = await self._mcp.ask(tools.CHECK_META_TOKEN, brand=request.brand)
        return TokenCheck(
            valid=found.valid,
            problem=found.problem,
            expires_at=_as_written(found.expires_at),
            days_left=found.days_left,
        )


def _as_written(moment: datetime | None) -> str | None:
    """The time as the server wrote it on the wire (ISO 8601, ``Z`` for UTC)."""
    return None if moment is None else _MOMENT.dump_python(moment, mode="json")
