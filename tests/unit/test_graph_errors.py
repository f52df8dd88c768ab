"""Meta's error codes: which are retried, which stop the run, and what the brand manager reads."""

from __future__ import annotations

import pytest

from mcp_servers.feed_publisher.meta.graph import GraphApiError
from mcp_servers.feed_publisher.meta.graph_errors import (
    TOKEN_CHECK_BACK_OFF_SECONDS,
    classify_graph_error,
    classify_token_check,
)


def graph_error(code: int | None, subcode: int | None = None, status: int = 400) -> GraphApiError:
    return GraphApiError(
        status=status,
        code=code,
        subcode=subcode,
        message="An error occurred while processing this request",
    )


# (code, subcode, HTTP status) as Meta sends them (FACTS.md), then the expected classification.
CLASSIFICATION = [
    # The token: only a new Page token helps.
    pytest.param(190, None, 400, "MetaTokenInvalid", False, id="190-token"),
    pytest.param(190, 463, 400, "MetaTokenInvalid", False, id="190/463-expired"),
    pytest.param(190, 460, 400, "MetaTokenInvalid", False, id="190/460-password-changed"),
    # Transient: Meta's own hiccups, retried.
    pytest.param(1, None, 400, "MetaTransient", True, id="1-unknown"),
    pytest.param(2, None, 400, "MetaTransient", True, id="2-service"),
    pytest.param(None, None, 502, "MetaTransient", True, id="bare-502"),
    # No Graph error body: a proxy or load balancer answered, not Meta.
    pytest.param(None, None, 429, "MetaRateLimited", True, id="bare-429"),
    pytest.param(None, None, 408, "MetaTransient", True, id="bare-408"),
    pytest.param(None, None, 403, "MetaTransient", True, id="bare-403-proxy-page"),
    pytest.param(100, None, 500, "MetaTransient", True, id="any-5xx"),
    pytest.param(-1, 2207001, 400, "MetaTransient", True, id="-1/2207001"),
    pytest.param(-2, 2207003, 400, "MetaTransient", True, id="-2/2207003-download-timeout"),
    pytest.param(24, 2207008, 400, "MetaTransient", True, id="24/2207008-not-yet-visible"),
    pytest.param(-1, 2207032, 400, "MetaTransient", True, id="-1/2207032"),
    # Throttling: slow down and retry.
    pytest.param(4, None, 400, "MetaRateLimited", True, id="4-app-limit"),
    pytest.param(17, None, 400, "MetaRateLimited", True, id="17-user-limit"),
    pytest.param(32, None, 400, "MetaRateLimited", True, id="32-page-limit"),
    pytest.param(613, None, 400, "MetaRateLimited", True, id="613-custom-limit"),
    pytest.param(80001, None, 400, "MetaRateLimited", True, id="80001-page-buc"),
    pytest.param(80002, None, 400, "MetaRateLimited", True, id="80002-instagram-buc"),
    # Permissions: the token lacks a scope or a role.
    pytest.param(10, None, 403, "MetaPermissionDenied", False, id="10-permission"),
    pytest.param(200, None, 403, "MetaPermissionDenied", False, id="200-permission"),
    pytest.param(299, None, 403, "MetaPermissionDenied", False, id="299-permission"),
    # The request itself.
    pytest.param(100, None, 400, "MetaInvalidRequest", False, id="100-invalid-parameter"),
    pytest.param(368, None, 400, "MetaPolicyBlock", False, id="368-policy-block"),
    pytest.param(506, None, 400, "MetaDuplicatePost", False, id="506-duplicate"),
    # Instagram refused the photo or the caption: the same request will fail again.
    pytest.param(36000, 2207004, 400, "MetaMediaRejected", False, id="36000/2207004-too-large"),
    pytest.param(36001, 2207005, 400, "MetaMediaRejected", False, id="36001/2207005-format"),
    pytest.param(36003, 2207009, 400, "MetaMediaRejected", False, id="36003/2207009-ratio"),
    pytest.param(36004, 2207010, 400, "MetaMediaRejected", False, id="36004/2207010-caption"),
    pytest.param(100, 2207040, 400, "MetaMediaRejected", False, id="100/2207040-tags"),
    pytest.param(25, 2207050, 400, "MetaMediaRejected", False, id="25/2207050-restricted"),
    pytest.param(4, 2207051, 400, "MetaMediaRejected", False, id="4/2207051-spam"),
    pytest.param(9004, 2207052, 400, "MetaMediaRejected", False, id="9004/2207052-fetch"),
    pytest.param(9, 2207042, 400, "MetaPublishingLimit", False, id="9/2207042-daily-limit"),
]


@pytest.mark.parametrize(("code", "subcode", "status", "error_type", "retryable"), CLASSIFICATION)
def test_meta_errors_are_classified_by_code_and_subcode(
    code: int | None, subcode: int | None, status: int, error_type: str, retryable: bool
) -> None:
    failure = classify_graph_error(graph_error(code, subcode, status), "Instagram")

    assert (failure.type, failure.retryable) == (error_type, retryable)


@pytest.mark.parametrize(("code", "subcode", "status", "error_type", "retryable"), CLASSIFICATION)
@pytest.mark.parametrize("platform", ["Facebook", "Instagram"])
def test_the_reason_names_the_platform_in_plain_words(
    platform: str,
    code: int | None,
    subcode: int | None,
    status: int,
    error_type: str,
    retryable: bool,
) -> None:
    reason = classify_graph_error(graph_error(code, subcode, status), platform).reason

    assert reason.startswith(f"{platform}: ")
    assert not any(mark in reason for mark in ("{", "}", '"', "error_subcode", "Graph API error"))
    assert str(subcode) not in reason


@pytest.mark.parametrize(
    ("code", "subcode", "token_problem"),
    [(190, 463, True), (10, None, True), (4, None, False), (36003, 2207009, False)],
)
def test_only_token_and_permission_errors_are_flagged_as_token_problems(
    code: int, subcode: int | None, token_problem: bool
) -> None:
    assert classify_graph_error(graph_error(code, subcode), "Facebook").token_problem is (
        token_problem
    )


def test_an_expired_token_says_so_and_asks_for_a_new_one() -> None:
    reason = classify_graph_error(graph_error(190, 463), "Facebook").reason

    assert reason == "Facebook: the access token has expired; a new Page access token is needed"


def test_a_rejected_aspect_ratio_is_explained() -> None:
    reason = classify_graph_error(graph_error(36003, 2207009), "Instagram").reason

    assert reason == "Instagram: the image's aspect ratio is outside what Instagram allows"


def test_an_unknown_error_marked_transient_by_meta_is_retried() -> None:
    error = GraphApiError(status=400, code=12345, subcode=None, message="x", is_transient=True)

    assert classify_graph_error(error, "Facebook").retryable


def test_an_unknown_error_is_not_retried_and_keeps_metas_message() -> None:
    error = GraphApiError(status=400, code=12345, subcode=None, message="Unsupported post request")

    failure = classify_graph_error(error, "Facebook")

    assert (failure.type, failure.retryable) == ("MetaError", False)
    assert failure.reason == "Facebook: Meta refused the post (Unsupported post request)"


def test_a_retried_failure_waits_as_long_as_the_answer_asked() -> None:
    error = GraphApiError(status=429, code=None, subcode=None, message="", retry_after_seconds=30)

    assert classify_graph_error(error, "Facebook").retry_after_seconds == 30


# debug_token, asked before each run: only Meta saying so makes the token invalid.
TOKEN_CHECK = [
    pytest.param(190, 463, 400, "MetaTokenInvalid", False, id="190/463-expired"),
    pytest.param(102, None, 400, "MetaTokenInvalid", False, id="102-session"),
    pytest.param(10, None, 403, "MetaPermissionDenied", False, id="10-permission"),
    pytest.param(200, None, 403, "MetaPermissionDenied", False, id="200-permission"),
    pytest.param(299, None, 403, "MetaPermissionDenied", False, id="299-permission"),
    pytest.param(4, None, 403, "MetaRateLimited", True, id="4-app-limit"),
    pytest.param(17, None, 403, "MetaRateLimited", True, id="17-user-limit"),
    pytest.param(32, None, 400, "MetaRateLimited", True, id="32-page-limit"),
    pytest.param(613, None, 400, "MetaRateLimited", True, id="613-custom-limit"),
    pytest.param(368, 1390008, 400, "MetaBackOff", True, id="368-temporarily-blocked"),
    pytest.param(None, None, 403, "MetaTransient", True, id="proxy-403"),
    pytest.param(None, None, 429, "MetaRateLimited", True, id="proxy-429"),
    pytest.param(100, None, 400, "MetaTransient", True, id="100-anything-else"),
    pytest.param(1, None, 500, "MetaTransient", True, id="500"),
]


@pytest.mark.parametrize(("code", "subcode", "status", "error_type", "retryable"), TOKEN_CHECK)
def test_a_failed_token_check_says_the_token_is_invalid_only_when_meta_does(
    code: int | None, subcode: int | None, status: int, error_type: str, retryable: bool
) -> None:
    failure = classify_token_check(graph_error(code, subcode, status))

    assert (failure.type, failure.retryable) == (error_type, retryable)
    assert failure.token_problem is (not retryable)
    assert failure.reason.startswith("Meta token check: ")


def test_a_temporary_block_backs_off_for_as_long_as_meta_asks_or_five_minutes() -> None:
    error = graph_error(368, 1390008)
    asked = GraphApiError(status=400, code=368, subcode=None, message="", retry_after_seconds=900)

    assert classify_token_check(error).retry_after_seconds == TOKEN_CHECK_BACK_OFF_SECONDS == 300
    assert classify_token_check(asked).retry_after_seconds == 900
