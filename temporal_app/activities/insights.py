"""A post's figures: read from Meta through the feed-publisher (which holds the tokens), kept
beside the run's report through the agent-outputs server."""

from __future__ import annotations

import dataclasses

from temporalio import activity

from feedpub.contract import tools
from feedpub.contract.after_publishing import PostFigures

from ..mcp_client import McpConnection
from ..models import ReadInsightsInput, SaveInsightsInput

__all__ = ["InsightsActivities"]


class InsightsActivities:
    def __init__(self, feed_publisher: McpConnection, agent_outputs: McpConnection) -> None:
        self._feed = feed_publisher
        self._outputs = agent_outputs

    @activity.defn(name="read_post_insights")
    async def read_post_insights(self, request: ReadInsightsInput) -> PostFigures:
        """The post's figures as Meta shows them now (one metric per call on the server)."""
        return await self._feed.ask(tools.READ_POST_INSIGHTS, **dataclasses.asdict(request))

    @activity.defn(name="save_post_insights")
    async def save_post_insights(self, request: SaveInsightsInput) -> PostFigures:
        """Keep the figures beside the run's report (saving them again replaces them)."""
        return await self._outputs.ask(
            tools.SAVE_POST_INSIGHTS,
            run_id=request.run_id,
            brand=request.brand,
            photo_key=request.photo_key,
            figures=dataclasses.asdict(request.figures),
        )
