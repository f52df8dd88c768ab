"""feedpub's MCP servers: ``feed_publisher`` (photos, media, Meta) and ``agent_outputs`` (reports).

Both speak stdio by default and streamable HTTP behind a bearer token when asked.
"""
