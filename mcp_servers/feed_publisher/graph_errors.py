"""Classify Graph API failures: retry or not, and a reason a brand manager understands.

The codes are Meta's (FACTS.md). Everything not known to be permanent is retried, because a
wrongly permanent error loses a post while a wrongly transient one only costs a few retries
(bounded by the activity's retry policy).
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import GraphApiError

__all__ = ["GraphFailure", "classify_graph_error"]

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


def classify_graph_error(error: GraphApiError, platform: str) -> GraphFailure:
    """Map Meta's error to a stable type, retryability and plain words."""
    code, sub = error.code, error.subcode
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
    if code == 10 or (code is not None and 200 <= code <= 299):
        return GraphFailure(
            "MetaPermissionDenied",
            f"{platform}: the token lacks a permission needed to publish",
            False,
            token_problem=True,
        )
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
