"""How the caption step's failures become retryable or non-retryable ``ApplicationError``s:
Claude's API errors (the anthropic SDK's exceptions), a refusal, and captions that still break
the brand's rules after the one regeneration. The ``type`` is stable so the workflow and the
report can use it; the message is the plain-words reason.
"""

from __future__ import annotations

from datetime import timedelta

import anthropic
from temporalio.exceptions import ApplicationError

from feedpub.retry_delay import bounded_retry_delay

__all__ = ["anthropic_failure", "caption_contacts", "caption_invalid", "claude_refusal"]

# The client errors a retry can fix: the SDK itself retries exactly these (and 5xx).
_RETRYABLE_4XX = {408, 409, 429}


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


def _retry_delay(seconds: object) -> timedelta | None:
    """Claude's ``Retry-After`` within 0 s – 1 h; None (the retry policy decides) without one."""
    delay = bounded_retry_delay(seconds)
    return timedelta(seconds=delay) if delay else None
