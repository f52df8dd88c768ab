"""Classify Graph API failures: retry or not, and a reason a brand manager understands.

The codes are Meta's (FACTS.md). Everything not known to be permanent is retried, because a
wrongly permanent error loses a post while a wrongly transient one only costs a few retries
(bounded by the activity's retry policy). Only Meta's own error body can make a failure
permanent: an answer without one (a proxy's HTML page, a bare 408 or 429) came from
something between us and Meta, and says nothing about the post or the token.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .graph import GraphApiError

__all__ = [
    "TOKEN_CHECK_BACK_OFF_SECONDS",
    "GraphFailure",
    "classify_graph_error",
    "classify_token_check",
]

_TRANSIENT_CODES = {1, 2}
_THROTTLE_CODES = {4, 17, 32, 341, 613, 80001, 80002}
_TRANSIENT_SUBCODES = {2207001, 2207003, 2207008, 2207032}
_TOKEN_SUBCODES = {
    458: "the app was removed from the account",
    459: "the account needs a security checkpoint",
    460: "the password was changed",
    463: "the access token has expired",
    467: "the access token is no longer valid",
    492: "the token's user has no role on the Page",
}
_MEDIA_SUBCODES = {
    2207004: "the image is too large for Instagram",
    2207005: "Instagram does not support the image format",
    2207009: "the image's aspect ratio is outside what Instagram allows",
    2207010: "the caption is too long for Instagram",
    2207040: "the caption has too many hashtags or mentions",
    2207042: "the account reached Instagram's daily publishing limit",
    2207050: "the Instagram account is restricted",
    2207051: "Instagram restricted the account for suspected spam",
    2207052: "Instagram could not download the image",
}


@dataclass(frozen=True)
class GraphFailure:
    """What a Graph API error means for the run."""

    type: str
    reason: str
    retryable: bool
    token_problem: bool = False
    retry_after_seconds: float | None = None
    """A wait asked for beyond the retry policy's (already bounded to 0 s – 1 h)."""


def classify_graph_error(error: GraphApiError, platform: str) -> GraphFailure:
    """Map Meta's error to a stable type, retryability and plain words; a retry waits as long
    as the answer asked (``retry_after_seconds``, bounded by ``graph``)."""
    failure = _classify(error, platform)
    if failure.retryable:
        return replace(failure, retry_after_seconds=error.retry_after_seconds)
    return failure


def _classify(error: GraphApiError, platform: str) -> GraphFailure:
    code, sub = error.code, error.subcode
    if code is None and sub is None:
        return _not_from_meta(error, platform)
    if code == 190 or code == 102:
        why = _TOKEN_SUBCODES.get(sub or 0, "the access token is not valid")
        return GraphFailure(
            "MetaTokenInvalid",
            f"{platform}: {why}; a new Page access token is needed",
            retryable=False,
            token_problem=True,
        )
    if sub in _TRANSIENT_SUBCODES or code in _TRANSIENT_CODES or error.status >= 500:
        return GraphFailure("MetaTransient", f"{platform}: Meta had a temporary problem", True)
    if sub == 2207042 or code == 9:
        return GraphFailure("MetaPublishingLimit", f"{platform}: {_MEDIA_SUBCODES[2207042]}", False)
    if sub in _MEDIA_SUBCODES:
        return GraphFailure("MetaMediaRejected", f"{platform}: {_MEDIA_SUBCODES[sub]}", False)
    # After the media subcodes: Instagram's spam restriction comes as code 4 / 2207051.
    if code in _THROTTLE_CODES:
        return GraphFailure("MetaRateLimited", f"{platform}: Meta asked us to slow down", True)
    if _permission_missing(code):
        return _permission_denied(f"{platform}: the token lacks a permission needed to publish")
    if code == 368:
        return GraphFailure(
            "MetaPolicyBlock", f"{platform}: Meta blocked the post by policy", False
        )
    if code == 506:
        return GraphFailure(
            "MetaDuplicatePost", f"{platform}: Meta refused a duplicate post", False
        )
    if code == 100:
        return GraphFailure(
            "MetaInvalidRequest", f"{platform}: Meta refused the request ({error.message})", False
        )
    if error.is_transient:
        return GraphFailure("MetaTransient", f"{platform}: Meta had a temporary problem", True)
    return GraphFailure("MetaError", f"{platform}: Meta refused the post ({error.message})", False)


def _permission_missing(code: int | None) -> bool:
    return code == 10 or (code is not None and 200 <= code <= 299)


def _permission_denied(reason: str) -> GraphFailure:
    return GraphFailure("MetaPermissionDenied", reason, False, token_problem=True)


def _not_from_meta(error: GraphApiError, platform: str) -> GraphFailure:
    kind = "MetaRateLimited" if error.status == 429 else "MetaTransient"
    return GraphFailure(
        kind,
        f"{platform}: no answer from Meta itself (HTTP {error.status} without Meta's details)",
        True,
        retry_after_seconds=error.retry_after_seconds,
    )


TOKEN_CHECK_BACK_OFF_SECONDS = 300.0
"""How long a token check waits after Meta's 368 ("temporarily blocked") when Meta gives no
regain time: Meta asks callers to wait before trying again, without saying how long."""


def classify_token_check(error: GraphApiError) -> GraphFailure:
    """What a failed ``debug_token`` call says about the brand's token.

    Only 190/102 say the token is invalid (and the run stops for good, with a brand alert); a
    missing permission (10, 200-299) is as permanent as when publishing. Anything else,
    throttling above all, says nothing about the token: the check is tried again.
    """
    where = "Meta token check"
    code = error.code
    if code == 190 or code == 102:
        why = _TOKEN_SUBCODES.get(error.subcode or 0, "the access token is not valid")
        return GraphFailure("MetaTokenInvalid", f"{where}: {why}", False, token_problem=True)
    if _permission_missing(code):
        return _permission_denied(f"{where}: the token lacks a permission Meta requires")
    if code == 368:
        return GraphFailure(
            "MetaBackOff",
            f"{where}: Meta blocked our calls for a while (code 368)",
            True,
            retry_after_seconds=error.retry_after_seconds or TOKEN_CHECK_BACK_OFF_SECONDS,
        )
    if code is None and error.subcode is None:
        return _not_from_meta(error, where)
    kind = "MetaRateLimited" if code in _THROTTLE_CODES else "MetaTransient"
    return GraphFailure(
        kind,
        f"{where}: Meta had a temporary problem ({error.message[:200]})",
        True,
        retry_after_seconds=error.retry_after_seconds,
    )
