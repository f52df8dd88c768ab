"""Saving the run's report, through the agent-outputs MCP server."""

from __future__ import annotations

import dataclasses

from temporalio import activity

from feedpub.contract import tools
from feedpub.contract.run import PublishReport

from ..mcp_client import McpConnection


class ReportActivities:
    def __init__(self, agent_outputs: McpConnection) -> None:
        self._mcp = agent_outputs

    @activity.defn(name="save_report")
    async def save_report(self, report: PublishReport) -> None:
        """Save the report in PostgreSQL (saving the same run again replaces it)."""
        await self._mcp.call(
            tools.SAVE_PUBLICATION_REPORT,
            {
                "run_id": report.run_id,
                "workflow_id": report.workflow_id,
                "brand": report.brand,
                "status": report.status,
                "photo_key": report.photo_key,
                "report": dataclasses.asdict(report),
            },
        )
