"""Failures from the MCP servers and from Claude become retryable or final ApplicationErrors."""

from __future__ import annotations

from datetime import timedelta

import anthropic
import httpx2
import pytest
from mcp_types import CallToolResult, TextContent

from mcp_servers._errors import feed_error
from temporal_app.activities.claude_errors import anthropic_failure
from temporal_app.mcp_client import tool_failure

MESSAGES_URL = "https://api.anthropic.com/v1/messages"
CLAUDE_SAYS = "messages.0.content: text content blocks must be non-empty"


def failed_tool_result(*texts: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=text) for text in texts], is_error=True)


def claude_status_error(
    kind: type[anthropic.APIStatusError], status: int, headers: dict[str, str] | None = None
) -> anthropic.APIStatusError:
    """A real SDK exception around a real response (httpx2, the SDK's own HTTP library)."""
    body = {"type": "error", "error": {"type": "invalid_request_error", "message": CLAUDE_SAYS}}
    request = httpx2.Request("POST", MESSAGES_URL)
    response = httpx2.Response(status, request=request, json=body, headers=headers)
    return kind(f"Error code: {status}", response=response, body=body)


def test_a_feed_error_keeps_its_type_reason_and_retry_delay() -> None:
    error = feed_error(
        "MetaRateLimited",
        "Instagram: Meta asked us to slow down",
        retryable=True,
        meta_code=4,
        retry_after_seconds=90,
    )

    failure = tool_failure("feed-publisher", "publish_instagram", failed_tool_result(str(error)))

    assert failure.type == "MetaRateLimited"
    assert failure.message == "Instagram: Meta asked us to slow down"
    assert failure.non_retryable is False
    assert failure.next_retry_delay == timedelta(seconds=90)
    assert failure.details == ({"meta_code": 4, "retry_after_seconds": 90},)


@pytest.mark.parametrize(
    ("asked", "delay"),
    [
        (float("inf"), timedelta(hours=1)),
        (1e12, timedelta(hours=1)),  # an 11-million-day wait
        (10**400, timedelta(hours=1)),
        (-300, None),
        (float("nan"), None),
        ("soon", None),
    ],
    ids=["infinite", "huge", "too-big-for-a-float", "negative", "nan", "not-a-number"],
)
def test_a_retry_delay_from_the_server_is_kept_between_zero_and_an_hour(
    asked: object, delay: timedelta | None
) -> None:
    error = feed_error(
        "MetaRateLimited", "Instagram: Meta asked us to slow down", retryable=True,
        retry_after_seconds=asked,
    )  # fmt: skip

    failure = tool_failure("feed-publisher", "publish_instagram", failed_tool_result(str(error)))

    assert failure.next_retry_delay == delay
    assert failure.non_retryable is False


def test_a_final_feed_error_is_not_retried() -> None:
    error = feed_error(
        "MetaTokenInvalid",
        "Facebook: the access token has expired; a new Page access token is needed",
        retryable=False,
        token_problem=True,
        retry_after_seconds=None,
    )

    failure = tool_failure("feed-publisher", "publish_facebook", failed_tool_result(str(error)))

    assert failure.type == "MetaTokenInvalid"
    assert failure.message.startswith("Facebook: the access token has expired")
    assert failure.non_retryable is True
    assert failure.next_retry_delay is None


def test_a_feed_error_with_words_outside_ascii_keeps_them() -> None:
    error = feed_error("PhotoMissing", "Aucune photo à publier pour « costume »", retryable=False)

    failure = tool_failure("feed-publisher", "reserve_photo", failed_tool_result(str(error)))

    assert failure.message == "Aucune photo à publier pour « costume »"


@pytest.mark.parametrize(
    "text",
    [
        "connection to PostgreSQL refused",
        '{"error": "not one of ours"}',
        '["feedpub-error"]',
    ],
)
def test_an_unexpected_tool_failure_is_a_retryable_mcp_tool_error(text: str) -> None:
    failure = tool_failure("agent-outputs", "save_report", failed_tool_result(text))

    assert failure.type == "McpToolError"
    assert failure.non_retryable is False
    assert failure.message == f"agent-outputs tool save_report failed: {text}"


def test_a_tool_failure_without_text_still_says_which_tool_failed() -> None:
    failure = tool_failure("feed-publisher", "view_image", failed_tool_result())

    assert failure.message == "feed-publisher tool view_image failed: no detail"
    assert failure.non_retryable is False


def test_a_long_unexpected_failure_text_is_cut_to_500_characters() -> None:
    failure = tool_failure("feed-publisher", "reserve_photo", failed_tool_result("x" * 5000))

    assert failure.message.count("x") == 500


@pytest.mark.parametrize(
    ("kind", "status", "retryable"),
    [
        (anthropic.BadRequestError, 400, False),
        (anthropic.AuthenticationError, 401, False),
        (anthropic.PaymentRequiredError, 402, False),
        (anthropic.PermissionDeniedError, 403, False),
        (anthropic.NotFoundError, 404, False),
        (anthropic.RequestTimeoutError, 408, True),
        (anthropic.ConflictError, 409, True),
        (anthropic.PreconditionFailedError, 412, False),
        (anthropic.ContentTooLargeError, 413, False),
        (anthropic.UnprocessableEntityError, 422, False),
        (anthropic.RateLimitError, 429, True),
        (anthropic.InternalServerError, 500, True),
        (anthropic.ServiceUnavailableError, 503, True),
        (anthropic.OverloadedError, 529, True),
    ],
)
def test_claude_client_errors_are_final_and_server_errors_are_retried(
    kind: type[anthropic.APIStatusError], status: int, retryable: bool
) -> None:
    failure = anthropic_failure(claude_status_error(kind, status))

    assert failure.type == kind.__name__
    assert failure.non_retryable is not retryable
    assert failure.message.startswith(f"Claude: {kind.__name__} (HTTP {status})")


def test_a_final_claude_error_carries_claudes_explanation() -> None:
    failure = anthropic_failure(claude_status_error(anthropic.BadRequestError, 400))

    assert failure.message == f"Claude: BadRequestError (HTTP 400): {CLAUDE_SAYS}"


@pytest.mark.parametrize(
    ("header", "delay"),
    [
        ("30", timedelta(seconds=30)),
        ("1.5", timedelta(seconds=1.5)),
        ("soon", None),
        ("9" * 30, timedelta(hours=1)),
        ("Infinity", timedelta(hours=1)),
        ("-30", None),
    ],
)
def test_claudes_retry_after_header_sets_the_next_retry_delay(
    header: str, delay: timedelta | None
) -> None:
    error = claude_status_error(anthropic.RateLimitError, 429, {"retry-after": header})

    assert anthropic_failure(error).next_retry_delay == delay


def test_without_retry_after_temporal_chooses_the_delay() -> None:
    error = claude_status_error(anthropic.OverloadedError, 529)

    assert anthropic_failure(error).next_retry_delay is None


@pytest.mark.parametrize(
    "error",
    [
        anthropic.APIConnectionError(request=httpx2.Request("POST", MESSAGES_URL)),
        anthropic.APITimeoutError(request=httpx2.Request("POST", MESSAGES_URL)),
    ],
    ids=["connection", "timeout"],
)
def test_no_answer_from_claude_is_retried(error: anthropic.APIError) -> None:
    failure = anthropic_failure(error)

    assert failure.type == error.__class__.__name__
    assert failure.non_retryable is False
    assert failure.message == f"Claude: {error.__class__.__name__}"
