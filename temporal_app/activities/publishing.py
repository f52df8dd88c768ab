"""Publishing activities: Facebook and Instagram, through the feed-publisher MCP server."""

from __future__ import annotations

from temporalio import activity

from feedpub.contract.run import PlatformResult

from ..mcp_client import McpConnection
from ..models import PublishInput, TokenCheck, TokenCheckInput


class PublishActivities:
    def __init__(self, feed_publisher: McpConnection) -> None:
        self._mcp = feed_publisher

    def _arguments(self, request: PublishInput) -> dict[str, str]:
        return {
            "brand": request.brand,
            "run_id": request.run_id,
            "media_key": request.media_key,
            "caption": request.caption,
            "alt_text": request.alt_text,
        }

    @activity.defn(name="publish_facebook")
    async def publish_facebook(self, request: PublishInput) -> PlatformResult:
        """Publish the photo on the brand's Facebook Page."""
        post = await self._mcp.call_structured("publish_facebook_photo", self._arguments(request))
        return PlatformResult(platform="facebook", status="published", post_id=post["post_id"])

    @activity.defn(name="publish_instagram")
    async def publish_instagram(self, request: PublishInput) -> PlatformResult:
        """Publish the photo on the brand's Instagram account (container, wait, publish)."""
        media = await self._mcp.call_structured("publish_instagram_photo", self._arguments(request))
        return PlatformResult(
            platform="instagram",
            status="published",
            post_id=media.get("media_id"),
            permalink=media.get("permalink"),
        )

    @activity.defn(name="check_meta_token")
    async def check_meta_token(self, request: TokenCheckInput) -> TokenCheck:
        """Ask Meta (through the server that holds the token) whether the brand's token works."""
        found = await self._mcp.call_structured("check_meta_token", {"brand": request.brand})
        expires_at = found.get("expires_at")
        return TokenCheck(
            valid=bool(found.get("valid")),
            problem=found.get("problem"),
            expires_at=str(expires_at) if expires_at else None,
        )
