"""Hostile brands entries and hostile Meta answers, each with the outcome feedpub must give.

Plain data, so that the tests and the hostile-input bench share one list:

- ``BRANDS_CASES``: the ``[brands.*]`` tables of a brands file that must be refused as a
  whole, and the brand, field and words the refusal names.
- ``META_CASES``: a rule for the Meta emulator (``devstack.meta_emulator.FaultRule`` as JSON)
  that spoils one answer, and what feedpub must make of it: try again (raising no alert),
  fail for good, or declare the brand's token invalid. ``debug_token`` is the token check
  before each run; the other endpoints are publishing calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

REFUSED = "refused"
RETRIED = "retried"
PERMANENT = "permanent"
TOKEN_INVALID = "token invalid"
MAX_DELAY = 3600.0
"""The longest retry delay either side allows, whatever a header asks for."""

GOOD_BRAND: dict[str, Any] = {
    "language": "nl",
    "time_zone": "Europe/Brussels",
    "posting_times": ["09:00"],
    "s3_prefix": "pomandi/",
    "facebook_page_id": "101000000000001",
    "instagram_user_id": "17841400000000001",
    "meta_token_env": "META_ACCESS_TOKEN_POMANDI",
    "voice": "Warm.",
}


def brand(**changes: Any) -> dict[str, Any]:
    """A valid brand table with ``changes``."""
    return {**GOOD_BRAND, **changes}


@dataclass(frozen=True)
class BrandsCase:
    name: str
    brands: dict[str, dict[str, Any]]
    """The file's ``[brands.<name>]`` tables."""
    brand: str
    """The brand the refusal names."""
    field: str
    """The field the refusal names."""
    words: str
    """Words of the refusal."""
    outcome: str = REFUSED


def _one(name: str, field: str, value: str, words: str) -> BrandsCase:
    return BrandsCase(name, {"pomandi": brand(**{field: value})}, "pomandi", field, words)


def _beside_pomandi(name: str, other: str, prefix: str, words: str) -> BrandsCase:
    tables = {"pomandi": brand(), other: brand(s3_prefix=prefix)}
    return BrandsCase(name, tables, other, "s3_prefix", words)


BRANDS_CASES = (
    _one("token-variable-is-database-url", "meta_token_env", "DATABASE_URL", "META_ACCESS_TOKEN_"),
    _one(
        "token-variable-is-aws-secret",
        "meta_token_env",
        "AWS_SECRET_ACCESS_KEY",
        "another variable",
    ),
    _one("token-variable-is-mcp-token", "meta_token_env", "MCP_AUTH_TOKEN", "never another"),
    _one("token-variable-is-prefix-alone", "meta_token_env", "META_ACCESS_TOKEN_", "starting"),
    _one(
        "token-in-place-of-variable", "meta_token_env", "EAAGm0PX4ZCpsBAKZCZBx7", "the token itself"
    ),
    _beside_pomandi("prefix-without-slash", "pom", "pom", "ending in '/'"),
    _one("prefix-from-bucket-root", "s3_prefix", "/pomandi/", "not starting with one"),
    _beside_pomandi("prefix-equal-to-another", "copycat", "pomandi/", "overlaps brand 'pomandi'"),
    _beside_pomandi("prefix-inside-another", "kids", "pomandi/kids/", "overlaps brand 'pomandi'"),
    _one("page-id-is-a-url-path", "facebook_page_id", "me/feed?x=", "digits only"),
    _one("instagram-id-climbs-out", "instagram_user_id", "17841400000000001/../me", "digits"),
    _one("page-id-in-arabic-digits", "facebook_page_id", "\u0661\u0660\u0661", "digits only"),
)


@dataclass(frozen=True)
class MetaAnswerCase:
    name: str
    fault: dict[str, Any]
    """The emulator's fault rule; its ``endpoint`` is the call that gets the answer."""
    outcome: str
    error_type: str
    """The stable error type the worker sees."""
    retry_delay: float | None = None
    """The delay asked of Temporal, in seconds; None: the retry policy's own interval."""


def _case(
    name: str,
    endpoint: str,
    kind: str,
    outcome: str,
    error_type: str,
    delay: float | None = None,
    **rule: Any,
) -> MetaAnswerCase:
    fault = {"endpoint": endpoint, "kind": kind, "times": 1, **rule}
    return MetaAnswerCase(name, fault, outcome, error_type, delay)


_TOKEN_CHECK = "debug_token"
# Meta's own throttling answers: without `is_transient`, which Meta does not always send.
_THROTTLED = {"kind": "throttle", "is_transient": None}

META_CASES = (
    _case("token-check-throttled-4", _TOKEN_CHECK, **_THROTTLED, code=4,
          outcome=RETRIED, error_type="MetaRateLimited"),
    _case("token-check-throttled-17", _TOKEN_CHECK, **_THROTTLED, code=17,
          outcome=RETRIED, error_type="MetaRateLimited"),
    _case("token-check-throttled-32", _TOKEN_CHECK, **_THROTTLED, code=32, regain_minutes=1,
          outcome=RETRIED, error_type="MetaRateLimited", delay=60.0),
    _case("token-check-throttled-613", _TOKEN_CHECK, **_THROTTLED, code=613, regain_minutes=2,
          outcome=RETRIED, error_type="MetaRateLimited", delay=120.0),
    _case("token-check-proxy-html-403", _TOKEN_CHECK, "proxy_html", status=403,
          outcome=RETRIED, error_type="MetaTransient"),
    _case("token-check-proxy-html-429", _TOKEN_CHECK, "proxy_html", status=429,
          outcome=RETRIED, error_type="MetaRateLimited"),
    _case("token-check-blocked-368", _TOKEN_CHECK, "temporarily_blocked",
          outcome=RETRIED, error_type="MetaBackOff", delay=300.0),
    _case("token-check-regain-infinite", _TOKEN_CHECK, **_THROTTLED, code=32,
          regain_minutes=math.inf, outcome=RETRIED, error_type="MetaRateLimited", delay=MAX_DELAY),
    _case("token-check-permission-10", _TOKEN_CHECK, "permission_denied", code=10,
          outcome=PERMANENT, error_type="MetaPermissionDenied"),
    _case("token-check-permission-200", _TOKEN_CHECK, "permission_denied", code=200,
          outcome=PERMANENT, error_type="MetaPermissionDenied"),
    _case("token-check-expired-190", _TOKEN_CHECK, "token_expired",
          outcome=TOKEN_INVALID, error_type="MetaTokenInvalid"),
    _case("publish-429-without-body", "instagram_publish", "no_body", status=429,
          outcome=RETRIED, error_type="MetaRateLimited"),
    _case("publish-408-without-body", "facebook_photos", "no_body", status=408,
          outcome=RETRIED, error_type="MetaTransient"),
    _case("publish-proxy-html-403", "instagram_media", "proxy_html", status=403,
          outcome=RETRIED, error_type="MetaTransient"),
    _case("publish-retry-after-infinite", "instagram_publish", "no_body", retry_after="Infinity",
          outcome=RETRIED, error_type="MetaRateLimited", delay=MAX_DELAY),
    _case("publish-retry-after-30-digits", "facebook_photos", "no_body", retry_after="9" * 30,
          outcome=RETRIED, error_type="MetaRateLimited", delay=MAX_DELAY),
    _case("publish-regain-infinite", "instagram_media", "throttle", regain_minutes=math.inf,
          outcome=RETRIED, error_type="MetaRateLimited", delay=MAX_DELAY),
    _case("publish-regain-11-million-days", "facebook_photos", "throttle", regain_minutes=1.6e10,
          outcome=RETRIED, error_type="MetaRateLimited", delay=MAX_DELAY),
    _case("publish-regain-negative", "instagram_publish", "throttle", regain_minutes=-30,
          outcome=RETRIED, error_type="MetaRateLimited"),
)  # fmt: skip
