"""The agent-outputs MCP server: publication reports in PostgreSQL (save, list, get)."""

INSTRUCTIONS = "Publication reports of feedpub runs: save, list and read them."
"""What the server is for: its MCP instructions and its command's description."""
