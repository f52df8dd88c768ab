"""The worker's MCP client: one long-lived, reconnecting client per server
(``connection``), and the servers' tool errors turned into retryable or final
``ApplicationError``s (``tool_errors``)."""

from .connection import McpConnection
from .tool_errors import tool_failure

__all__ = ["McpConnection", "tool_failure"]
