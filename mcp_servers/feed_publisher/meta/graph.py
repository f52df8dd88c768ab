"""A small async client for the Meta Graph API endpoints feedpub uses.

The token travels in the ``Authorization`` header, never in a URL (URLs end up in logs);
errors keep Meta's code,
subcode and user message so that ``graph_errors`` can classify them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from feedpub.retry_delay import bounded_retry_delay

__all__ = [
    "GraphApiError",
    "GraphClient",
    "GraphUnreachable",
    "again_when_unanswered",
    "parse_graph_time",
]
T = TypeVar("T")

READ_RETRY_PAUSES = (0.2, 1.0)
DOWNLOAD_DEADLINE_SECONDS = 30.0
"""A published photo of a few hundred kilobytes comes from Meta's CDN in well under this."""


@dataclass
class GraphApiError(Exception):
    """Meta answered with an error body (or a bare 5xx)."""

    status: int
    code: int | None
    subcode: int | None
    message: str
    user_message: str | None = None
    is_transient: bool = False
    retry_after_seconds: float | None = None

    def __str__(self) -> str:
        return f"Graph API error {self.code}/{self.subcode} (HTTP {self.status}): {self.message}"


class GraphUnreachable(Exception):
    """No answer from Meta (connection refused, timeout): the request may or may not have landed."""


class GraphClient:
    """Calls ``{base_url}/{version}/...`` with a per-call access token."""

    def __init__(self, http: httpx.AsyncClient, *, base_url: str, version: str) -> None:
        self._http = http
        self._root = f"{base_url.rstrip('/')}/{version}"

    async def post(self, path: str, token: str, data: dict[str, Any]) -> dict[str, Any]:
        return await self._call("POST", path, token, data=data)

    async def get(self, path: str, token: str, params: dict[str, Any]) -> dict[str, Any]:
        """A read: safe to repeat, so a 5xx or no answer is tried again at once, twice."""
        return await again_when_unanswered(
            lambda: self._call("GET", path, token, params=params), READ_RETRY_PAUSES
        )

    async def download(
        self, url: str, *, max_bytes: int, deadline_seconds: float = DOWNLOAD_DEADLINE_SECONDS
    ) -> bytes:
        """A file Meta serves from its CDN (``media_url``): a plain GET, without the token,
        which a CDN does not need and must never see. Redirects are not followed: only a 2xx
        answer is the file. ``GraphUnreachable`` when no file comes back within
        ``deadline_seconds`` (the caller may try again); ``ValueError`` when the address is not
        http(s), the answer is not the file, or it is larger than ``max_bytes``."""
        try:
            scheme = httpx.URL(url).scheme
        except httpx.InvalidURL:
            scheme = ""
        if scheme not in ("http", "https"):
            raise ValueError("its address is not an http(s) address")
        try:
            # A server sending a byte now and then would pass every read timeout: a deadline
            # for the whole download.
            async with asyncio.timeout(deadline_seconds):
                return await self._downloaded(url, max_bytes)
        except TimeoutError:
            raise GraphUnreachable(
                f"the image did not come within {deadline_seconds:g} s"
            ) from None
        except httpx.TransportError as exc:
            raise GraphUnreachable(f"no answer for the image ({exc.__class__.__name__})") from None

    async def _downloaded(self, url: str, max_bytes: int) -> bytes:
        async with self._http.stream("GET", url, follow_redirects=False) as response:
            status = response.status_code
            if status >= 400:
                raise GraphUnreachable(f"the image was not served (HTTP {status})")
            if not 200 <= status < 300:
                raise ValueError(f"the answer was not the image (HTTP {status})")
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > max_bytes:
                    raise ValueError(f"the image is larger than {max_bytes:,} bytes")
            return bytes(data)

    async def _call(self, method: str, path: str, token: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{self._root}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {token}"}
        try:
            response = await self._http.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise GraphUnreachable(
                f"no answer from the Graph API ({exc.__class__.__name__})"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code < 400 and isinstance(body, dict):
            return body
        raise _error_from(response, body)


async def again_when_unanswered(call: Callable[[], Awaitable[T]], pauses: Sequence[float]) -> T:
    """``call``, made again after each pause while Meta gives no answer or a 5xx.

    Only for calls that are safe to repeat: reads, and flows that begin by reading what the
    previous try left behind.
    """
    for pause in pauses:
        try:
            return await call()
        except GraphUnreachable:
            pass
        except GraphApiError as exc:
            if exc.status < 500:
                raise
        await asyncio.sleep(pause)
    return await call()


def _regain_seconds(response: httpx.Response) -> float | None:
    """When Meta (``X-Business-Use-Case-Usage``) or a proxy (``Retry-After``) says throttled
    calls may resume, in seconds, bounded to 0 s – 1 h; None when neither says."""
    header = response.headers.get("x-business-use-case-usage")
    if not header:
        return bounded_retry_delay(response.headers.get("retry-after")) or None
    try:
        usage = json.loads(header)
        minutes = [
            float(entry.get("estimated_time_to_regain_access") or 0)
            for entries in usage.values()
            for entry in entries
        ]
    except (ValueError, AttributeError, TypeError, OverflowError):
        return None
    return bounded_retry_delay(max(minutes, default=0) * 60) or None


def _error_from(response: httpx.Response, body: Any) -> GraphApiError:
    retry_after = _regain_seconds(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return GraphApiError(
            status=response.status_code,
            code=None,
            subcode=None,
            message=f"HTTP {response.status_code} without a Graph error body",
            is_transient=response.status_code >= 500,
            retry_after_seconds=retry_after,
        )
    return GraphApiError(
        status=response.status_code,
        code=error.get("code"),
        subcode=error.get("error_subcode"),
        message=str(error.get("message", "")),
        user_message=error.get("error_user_msg"),
        is_transient=bool(error.get("is_transient", False)),
        retry_after_seconds=retry_after,
    )


def parse_graph_time(value: object) -> datetime | None:
    """Graph's ``2026-11-21T09:00:00+0000`` as an aware datetime, None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("+0000", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
