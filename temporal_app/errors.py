"""The one place where failures become retryable or non-retryable ``ApplicationError``s.

Sources: the MCP servers' tool errors (a JSON object, see ``mcp_servers._errors``) and the
anthropic SDK's exceptions. The ``type`` is stable so the workflow and the report can use it;
the message is the plain-words reason.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from mcp_types import CallToolResult
from temporalio.exceptions import ApplicationError

from feedpub.retry_delay import bounded_retry_delay
from mcp_servers._errors import ERROR_MARKER

if TYPE_CHECKING:
    # Only named in annotations: the CLI, which classifies tool errors, starts 2 s sooner
    # without loading the anthropic SDK.
    import anthropic

__all__ = [
    "anthropic_failure",
    "caption_contacts",
    "caption_invalid",
    "claude_output_failure",
    "claude_refusal",
    "tool_failure",
]

# The client errors a retry can fix: the SDK itself retries exactly these (and 5xx).
_RETRYABLE_4XX = {408, 409, 429}


def _text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content).strip()


def tool_failure(server: str, tool: str, result: CallToolResult) -> ApplicationError:
    """The ApplicationError for a tool result with ``is_error`` set."""
    text = _text_of(result)
    try:
        # The SDK puts "Error executing tool <name>: " before the ToolError's text.
        payload: Any = json.loads(text[text.find("{") :]) if "{" in text else None
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or ERROR_MARKER not in payload:
        # An unexpected server-side failure (database or S3 away...): worth retrying.
        return ApplicationError(
            f"{server} tool {tool} failed: {text[:500] or 'no detail'}", type="McpToolError"
        )
    details = payload.get("details") or {}
    if "retry_after_seconds" in details:
        # Bounded again here: the server's value came from a header and crossed the wire.
        details = {**details, "retry_after_seconds": _delay(details["retry_after_seconds"])}
    return ApplicationError(
        str(payload.get("reason", "")),
        details,
        type=str(payload.get("type", "McpToolError")),
        non_retryable=not payload.get("retryable", True),
        next_retry_delay=_retry_delay(details.get("retry_after_seconds")),
    )


def _delay(seconds: object) -> float | None:
    return bounded_retry_delay(seconds) or None


def _retry_delay(seconds: object) -> timedelta | None:
    """A delay between 0 s and 1 h; None (the retry policy decides) when none was asked."""
    delay = _delay(seconds)
    return timedelta(seconds=delay) if delay else None


def anthropic_failure(exc: anthropic.APIError) -> ApplicationError:
    """Claude's 4xx (but 408/409/429) are permanent; rate limits, 5xx and timeouts retry."""
    status = getattr(exc, "status_code", None)
    kind = exc.__class__.__name__
    non_retryable = status is not None and 400 <= status < 500 and status not in _RETRYABLE_4XX
    response = getattr(exc, "response", None)
    retry_after = None if response is None else _retry_delay(response.headers.get("retry-after"))
    reason = f"Claude: {kind}" + (f" (HTTP {status})" if status else "")
    if non_retryable:
        reason += f": {_api_message(exc)[:300]}"
    return ApplicationError(
        reason, type=kind, non_retryable=non_retryable, next_retry_delay=retry_after
    )


def _api_message(exc: anthropic.APIError) -> str:
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return str(getattr(exc, "message", exc))


def claude_output_failure(reason: str) -> ApplicationError:
    """Claude answered, but not with something usable (refusal, empty, not JSON)."""
    return ApplicationError(f"Claude: {reason}", type="ClaudeOutputInvalid")


def claude_refusal(task: str) -> ApplicationError:
    """Claude declined (stop_reason ``refusal``): the same request would be declined again."""
    return ApplicationError(f"Claude declined to {task}", type="ClaudeRefused", non_retryable=True)


def caption_invalid(problems: list[str]) -> ApplicationError:
    """The captions broke the rules again after the one regeneration: nothing is published."""
    return ApplicationError(
        "Claude: the captions still break the rules after one regeneration: " + "; ".join(problems),
        type="CaptionInvalid",
        non_retryable=True,
    )


def caption_contacts(problems: list[str]) -> ApplicationError:
    """The captions still give contacts the brand does not allow after the one regeneration:
    Claude was told not to, twice, so text in the photo is steering it. The photo is not used:
    the run rejects it and takes another."""
    return ApplicationError(
        "text in the photo steers the captions: after one regeneration they still give "
        "contacts the brand does not allow: " + "; ".join(problems),
        type="CaptionContacts",
        non_retryable=True,
    )
