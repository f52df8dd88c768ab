"""What the console asks besides its own schema: Temporal (runs, their queries and updates,
schedules), agent-outputs (reports) and feed-publisher (images, the library's state).

Made once per process and holding nothing of ours: every answer comes from those services at
each request. The MCP servers are asked with the read token only: the console lists and reads
there; what it changes (a decision, a pause) goes to Temporal.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.client import Client

from temporal_app.client import connect_temporal
from temporal_app.mcp_client import McpConnection

from .settings import ConsoleSettings

__all__ = ["Backends", "connect_backends"]


@dataclass
class Backends:
    temporal: Client
    agent_outputs: McpConnection
    """Reports, notices, planned slots (read token)."""
    feed_publisher: McpConnection
    """Prepared images, alerts, photos left (read token)."""

    async def close(self) -> None:
        await self.feed_publisher.close()
        await self.agent_outputs.close()


async def connect_backends(settings: ConsoleSettings) -> Backends:
    """Connect to Temporal (TemporalUnreachable when it does not answer); the MCP servers are
    asked at each call, so one away now is a failed page later, not a failed start."""
    temporal = await connect_temporal(settings)
    token = settings.mcp_read_token.get_secret_value()
    return Backends(
        temporal=temporal,
        agent_outputs=McpConnection(
            "agent-outputs", settings.agent_outputs_mcp_url, token, timeout=30
        ),
        feed_publisher=McpConnection(
            "feed-publisher", settings.feed_publisher_mcp_url, token, timeout=30
        ),
    )
