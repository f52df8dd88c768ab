"""How the MCP servers report a failure so that the worker can classify it.

A tool raises ``ToolError`` whose text is the failure as ``feedpub.contract.errors`` writes it:
a stable ``type``, whether a retry can help, and a ``reason`` in words a brand manager
understands. The worker reads it back with the same module.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from feedpub.contract.errors import ToolFailure, encode_failure

__all__ = ["feed_error"]


def feed_error(error_type: str, reason: str, *, retryable: bool, **details: Any) -> ToolError:
    """A ToolError carrying ``error_type``, ``reason`` and ``retryable`` for the worker."""
    return ToolError(encode_failure(ToolFailure(error_type, reason, retryable, details)))
