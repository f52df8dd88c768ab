"""Saving the run's report and holding its planned slot, through the agent-outputs MCP
server."""

from __future__ import annotations

import dataclasses

from temporalio import activity

from feedpub.contract import tools
from feedpub.contract.run import PublishReport
from feedpub.contract.tools import SlotClaim

from ..mcp_client import McpConnection
from ..models import SlotClaimInput


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

    @activity.defn(name="claim_slot")
    async def claim_slot(self, request: SlotClaimInput) -> SlotClaim:
        """Claim the brand's slot for this run, or learn which run plans it (claiming again
        answers ``claimed``)."""
        return await self._mcp.ask(
            tools.CLAIM_SLOT,
            brand=request.brand,
            slot=request.slot,
            workflow_id=request.workflow_id,
            run_id=request.run_id,
        )

    @activity.defn(name="release_slot")
    async def release_slot(self, request: SlotClaimInput) -> bool:
        """Give the slot back when this run holds it; False when it did not (nothing changed)."""
        answer = await self._mcp.call(
            tools.RELEASE_SLOT,
            {"brand": request.brand, "slot": request.slot, "run_id": request.run_id},
        )
        return bool((answer.structured_content or {}).get("result"))
