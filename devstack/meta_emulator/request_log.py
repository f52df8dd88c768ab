"""The Graph requests the emulator received, as sent: method, path and query string.

Tests read it to see where a client put its parameters (a token in a URL is a leak: URLs are
logged by proxies and servers). It stays in memory and is never served or logged.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

__all__ = ["GraphRequest", "RequestLog"]

REQUEST_LOG_SIZE = 10_000


@dataclass(frozen=True)
class GraphRequest:
    method: str
    path: str
    """As sent, with its ``/vNN.N`` prefix."""
    query: str
    """The query string exactly as sent (empty when there is none)."""


class RequestLog:
    """The most recent ``size`` requests, oldest first."""

    def __init__(self, size: int = REQUEST_LOG_SIZE) -> None:
        self._kept: deque[GraphRequest] = deque(maxlen=size)
        self._lock = threading.Lock()

    def remember(self, request: GraphRequest) -> None:
        with self._lock:
            self._kept.append(request)

    def all(self) -> list[GraphRequest]:
        with self._lock:
            return list(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
