"""How the MCP servers report a failure so that the worker can classify it.

A tool raises ``ToolError`` whose text is a small JSON object: a stable ``type``, whether a
retry can help, and a ``reason`` in words a brand manager understands. The worker reads it
back in one place (``temporal_app.errors``).
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["ERROR_MARKER", "feed_error"]

ERROR_MARKER = "feedpub-error"


def feed_error(error_type: str, reason: str, *, retryable: bool, **details: Any) -> ToolError:
    """A ToolError carrying ``error_type``, ``reason`` and ``retryable`` for the worker."""
    payload = {
        ERROR_MARKER: 1,
        "type": error_type,
        "reason": reason,
        "retryable": retryable,
        "details": details,
    }
    return ToolError(json.dumps(payload, ensure_ascii=False, default=str))
