"""The agent-outputs MCP server: publication reports in PostgreSQL (save, list, get)."""
