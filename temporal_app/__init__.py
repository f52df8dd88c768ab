"""The Temporal side of feedpub. ``worker`` wires every client (the one composition root) and
``client`` connects to Temporal; the run is in ``workflows``, its steps' adapters in
``activities``, which reach the MCP servers through ``mcp_client`` and write captions with
``captions``; ``observability`` traces, counts and answers health checks; ``schedules`` keeps
each brand's Temporal Schedule."""
