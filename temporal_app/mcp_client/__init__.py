"""The worker's (and the CLI's) MCP client: one connection pool per server and an MCP client
per call (``connection``), and the servers' tool errors turned into retryable or final
``ApplicationError``s (``tool_errors``)."""

from .connection import McpConnection
from .tool_errors import tool_failure

__all__ = ["McpConnection", "tool_failure"]
