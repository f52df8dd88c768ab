"""``agent-outputs-mcp`` / ``python -m mcp_servers.agent_outputs``: stdio or streamable HTTP."""

from __future__ import annotations

from typing import Any

from feedpub.settings import AgentOutputsSettings, load_settings
from feedpub.startup import configured_brands
from mcp_servers._serve import run_server
from mcp_servers.agent_outputs import INSTRUCTIONS


def _server() -> Any:
    from mcp_servers.agent_outputs.server import server

    return server


def main(argv: list[str] | None = None) -> None:
    run_server(
        _server,
        [lambda: load_settings(AgentOutputsSettings), configured_brands],
        argv,
        name="agent-outputs",
        description=INSTRUCTIONS,
    )


if __name__ == "__main__":
    main()
