"""What a request hit by a fault rule gets back: Meta's documented throttling, block and
permission errors, or what a proxy between the caller and Meta answers (an HTML page, a bare
status with no body at all)."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING

from starlette.responses import HTMLResponse, Response

from .errors import (
    GraphError,
    expired_token,
    instagram_permission_denied,
    page_permission_denied,
    unexpected_error,
)

if TYPE_CHECKING:
    from .faults import FaultRule

THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. "
    "Wait a bit and try again.",
    80002: "(#80002) There have been too many calls to this Instagram account. "
    "Wait a bit and try again.",
}
PERMISSION_CODES = (10, 200)
PROXY_STATUS = {"proxy_html": 403, "no_body": 429}
"""The status a proxy answer has unless its rule names one."""


class ProxyAnswer(Exception):
    """An answer that is not Graph's: no ``{"error": ...}`` body, maybe no body at all."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self._response = response

    def response(self) -> Response:
        return self._response


def fault_error(
    rule: FaultRule, endpoint: str, object_id: str, now: float
) -> GraphError | ProxyAnswer | None:
    """The answer a rule gives before the request is served, if it is that kind."""
    if rule.kind == "server_error":
        return unexpected_error()
    if rule.kind == "token_expired":
        return expired_token(now - 60, now)
    if rule.kind == "throttle":
        return throttle_error(rule, endpoint, object_id)
    if rule.kind == "temporarily_blocked":
        return GraphError(
            368,
            "It looks like you were misusing this feature by going too fast. "
            "You\u2019ve been temporarily blocked from using it.",
            subcode=1390008,
            user_title="You Can't Use This Feature Right Now",
        )
    if rule.kind == "permission_denied":
        return page_permission_denied() if rule.code == 200 else instagram_permission_denied()
    if rule.kind in PROXY_STATUS:
        return proxy_answer(rule)
    return None


def throttle_error(rule: FaultRule, endpoint: str, object_id: str) -> GraphError:
    instagram = endpoint.startswith("instagram") or endpoint == "publishing_limit"
    code = rule.code or (80002 if instagram else 32)
    usage = {"call_count": 100, "total_cputime": 100, "total_time": 100}
    transient = rule.is_transient
    if code in (4, 17):
        # App- and user-level limits are reported in X-App-Usage, without a regain estimate.
        header = {"X-App-Usage": json.dumps(usage)}
        return GraphError(
            code, THROTTLE_MESSAGES[code], status=403, is_transient=transient, headers=header
        )
    business_usage = {
        object_id or "0": [
            {
                "type": "instagram" if instagram else "pages",
                **usage,
                "estimated_time_to_regain_access": rule.regain_minutes,
            }
        ]
    }
    # json.dumps writes an infinite regain time as `Infinity`, which is what a hostile
    # header looks like.
    header = {"X-Business-Use-Case-Usage": json.dumps(business_usage)}
    return GraphError(code, THROTTLE_MESSAGES[code], is_transient=transient, headers=header)


def proxy_answer(rule: FaultRule) -> ProxyAnswer:
    status = rule.status or PROXY_STATUS[rule.kind]
    headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
    if rule.kind == "no_body":
        return ProxyAnswer(Response(b"", status_code=status, headers=headers))
    title = f"{status} {HTTPStatus(status).phrase}"
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    return ProxyAnswer(HTMLResponse(page, status_code=status, headers=headers))
