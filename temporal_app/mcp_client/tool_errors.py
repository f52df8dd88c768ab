"""How the MCP servers' tool errors become retryable or non-retryable ``ApplicationError``s.

A failing tool answers its failure as ``feedpub.contract.errors`` writes it: a stable ``type``,
whether a retry can help, the plain-words reason and, for a rate limit, how long to wait. The
``type`` is kept so the workflow and the report can use it; anything else a server answers
(its database or S3 away) is worth retrying. Claude's failures are classified beside the
caption activity (``activities.claude_errors``), so this client never loads the anthropic SDK.
"""

from __future__ import annotations

from datetime import timedelta

from mcp_types import CallToolResult
from temporalio.exceptions import ApplicationError

from feedpub.contract.errors import decode_failure
from feedpub.retry_delay import bounded_retry_delay

__all__ = ["tool_failure"]


def _text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content).strip()


def tool_failure(server: str, tool: str, result: CallToolResult) -> ApplicationError:
    """The ApplicationError for a tool result with ``is_error`` set."""
    text = _text_of(result)
    failure = decode_failure(text)
    if failure is None:
        # An unexpected server-side failure (database or S3 away...): worth retrying.
        return ApplicationError(
            f"{server} tool {tool} failed: {text[:500] or 'no detail'}", type="McpToolError"
        )
    details = failure.details
    if "retry_after_seconds" in details:
        # Bounded again here: the server's value came from a header and crossed the wire.
        details = {**details, "retry_after_seconds": _delay(details["retry_after_seconds"])}
    return ApplicationError(
        failure.reason,
        details,
        type=failure.type,
        non_retryable=not failure.retryable,
        next_retry_delay=_retry_delay(details.get("retry_after_seconds")),
    )


def _delay(seconds: object) -> float | None:
    return bounded_retry_delay(seconds) or None


def _retry_delay(seconds: object) -> timedelta | None:
    """A delay between 0 s and 1 h; None (the retry policy decides) when none was asked."""
    delay = _delay(seconds)
    return timedelta(seconds=delay) if delay else None
