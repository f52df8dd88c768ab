"""The agent-outputs MCP server: every tool it offers, registered here and nowhere else.

Publication reports (one per workflow run) and their posts' figures, the notice ledger (what
brands' teams were told), the planned slots (which run plans each brand's slot) and what
brands' posts taught, in PostgreSQL. A tool marked
``READ_ONLY`` only lists or reads, and the read token may call it; the notify token may also
call the notice tools; every other tool needs the publish token (``mcp_servers._access``).
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mcp_servers._access import READ_ONLY

from . import INSTRUCTIONS, insights_tools, learning_tools, notice_tools, report_tools, slot_tools
from .context import agent_outputs_lifespan

__all__ = ["server"]

server = MCPServer(
    "agent-outputs",
    instructions=INSTRUCTIONS,
    lifespan=agent_outputs_lifespan,
)

# Reports: one per run, saved by the run, read by people and the CLI.
server.tool()(report_tools.save_publication_report)
server.tool(annotations=READ_ONLY)(report_tools.list_reports)
server.tool(annotations=READ_ONLY)(report_tools.get_report)
# A post's figures at +24 h and +7 d, kept beside its run's report.
server.tool()(insights_tools.save_post_insights)
# Notices: claimed before a team is told, closed into follow-ups, their deliveries recorded.
server.tool()(notice_tools.claim_notice)
server.tool()(notice_tools.close_notice_window)
server.tool()(notice_tools.record_notice_delivery)
server.tool(annotations=READ_ONLY)(notice_tools.list_notices)
server.tool(annotations=READ_ONLY)(notice_tools.list_open_problems)
# Planned slots: one run plans each (brand, slot); a cancelled run gives its slot back.
server.tool()(slot_tools.claim_slot)
server.tool()(slot_tools.release_slot)
server.tool(annotations=READ_ONLY)(slot_tools.list_planned_slots)
# What the posts taught: the audience's tastes, the captions that did best (read tools).
server.tool(annotations=READ_ONLY)(learning_tools.get_brand_tastes)
server.tool(annotations=READ_ONLY)(learning_tools.get_caption_examples)
