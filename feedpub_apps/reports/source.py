"""Where ``feedpub reports`` reads from: the two MCP servers, never S3 or the database.

Saved reports come from the agent-outputs server, posted images from the feed-publisher
server, both over HTTP with the read token (``MCP_READ_TOKEN``, else ``MCP_AUTH_TOKEN``).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from temporalio.converter import value_to_type

from feedpub.contract import tools
from feedpub.contract.after_publishing import PostFigures
from feedpub.contract.run import PublishReport
from feedpub.contract.tools import StoredReport

from ..servers import AppError, mcp_token

if TYPE_CHECKING:
    from temporal_app.mcp_client import McpConnection

__all__ = ["ListedReport", "ReportSource", "list_reports", "prepared_image", "stored_report"]

# The feed-publisher's refusals that mean "no such image to show", not "cannot ask".
_NO_IMAGE = ("MediaNotFound", "UnknownBrand", "ForeignPhoto", "NotPreparedMedia")


@dataclass(frozen=True)
class ListedReport:
    """A saved report, when it was saved, and its post's figures read since."""

    report: PublishReport
    created_at: datetime
    insights: list[PostFigures] = field(default_factory=list)


class ReportSource:
    """Reports and their posted images, read through the MCP servers."""

    def __init__(self, settings: Mapping[str, str] | None = None) -> None:
        """``settings``: where to read the variables below (the environment if None)."""
        env = os.environ if settings is None else settings
        token = mcp_token("read reports from the MCP servers", publishes=False, env=env)
        # The MCP client brings the Claude SDK along: imported once a command needs it.
        from temporal_app.mcp_client import McpConnection

        self._urls = {
            "agent-outputs": env.get("AGENT_OUTPUTS_MCP_URL", "http://127.0.0.1:8766/mcp"),
            "feed-publisher": env.get("FEED_PUBLISHER_MCP_URL", "http://127.0.0.1:8765/mcp"),
        }
        self._servers = {
            name: McpConnection(name, url, token, timeout=60) for name, url in self._urls.items()
        }

    async def reports(
        self, *, brand: str | None, status: str | None, since: datetime | None, limit: int
    ) -> list[ListedReport]:
        """The newest saved reports matching the filters, newest first."""
        try:
            return await list_reports(
                self._servers["agent-outputs"], brand=brand, status=status, since=since, limit=limit
            )
        except Exception as exc:
            raise self._unreachable("agent-outputs", exc) from None

    async def posted_image(self, brand: str, media_key: str) -> bytes | None:
        """The prepared JPEG that was posted, or None when it is gone from the library."""
        try:
            return await prepared_image(self._servers["feed-publisher"], brand, media_key)
        except Exception as exc:
            raise self._unreachable("feed-publisher", exc) from None

    async def close(self) -> None:
        for server in self._servers.values():
            await server.close()

    def _unreachable(self, name: str, exc: Exception) -> AppError:
        return AppError(f"cannot ask the {name} server at {self._urls[name]}: {exc}")


async def list_reports(
    agent_outputs: McpConnection,
    *,
    brand: str | None,
    status: str | None,
    since: datetime | None = None,
    limit: int,
) -> list[ListedReport]:
    """The newest saved reports matching the filters, newest first, from the agent-outputs
    server; its errors are raised as they come."""
    arguments: dict[str, Any] = {"brand": brand, "status": status, "limit": limit}
    if since is not None:
        arguments["since"] = since.isoformat()
    found = await agent_outputs.ask(tools.LIST_REPORTS, **arguments)
    return [_listed(row) for row in found.reports]


async def stored_report(agent_outputs: McpConnection, run_id: str) -> ListedReport | None:
    """The saved report of run ``run_id``, or None when none is saved (yet)."""
    try:
        found = await agent_outputs.ask(tools.GET_REPORT, run_id=run_id)
    except Exception as exc:
        if getattr(exc, "type", None) == "ReportNotFound":
            return None
        raise
    return _listed(found)


async def prepared_image(feed_publisher: McpConnection, brand: str, media_key: str) -> bytes | None:
    """The prepared JPEG of ``brand`` under ``media_key`` (a run's posted image), or None when
    the feed-publisher server has none to give (gone, or not this brand's prepared image)."""
    try:
        result = await feed_publisher.call(
            tools.GET_PREPARED_MEDIA, {"brand": brand, "media_key": media_key}
        )
    except Exception as exc:
        if getattr(exc, "type", None) in _NO_IMAGE:
            return None
        raise
    for item in result.content:
        if item.type == "image":
            return base64.b64decode(item.data)
    return None


def _listed(row: StoredReport) -> ListedReport:
    try:
        report = value_to_type(PublishReport, row.report)
    except (TypeError, ValueError, KeyError):
        # A report in a shape this release does not read: show what the row's columns say.
        report = PublishReport(
            run_id=row.run_id,
            workflow_id=row.workflow_id,
            brand=row.brand,
            status=row.status,
            started_at=row.created_at.isoformat(),
            photo_key=row.photo_key,
        )
    return ListedReport(report=report, created_at=row.created_at, insights=row.insights)
