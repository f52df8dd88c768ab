"""The emulator's record of the requests it received, without image bytes or credentials."""

from __future__ import annotations

import threading
from typing import Any

REQUEST_LOG_SIZE = 1000


class RequestLog:
    """Bodies of recent `POST /v1/messages` (headers, and so the key, are never kept)."""

    def __init__(self, size: int = REQUEST_LOG_SIZE) -> None:
        self._size = size
        self._bodies: list[Any] = []
        self._count = 0
        self._lock = threading.Lock()

    def remember(self, body: Any) -> None:
        with self._lock:
            self._count += 1
            self._bodies.append(without_image_data(body))
            del self._bodies[: -self._size]

    @property
    def count(self) -> int:
        """Every request remembered since the last `clear`, also those no longer kept."""
        return self._count

    def last(self, limit: int | None = None) -> list[Any]:
        """The `limit` most recent bodies (all kept ones if None), oldest first."""
        with self._lock:
            return list(self._bodies if limit is None else self._bodies[-limit:] if limit else [])

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._count = 0


def without_image_data(value: Any) -> Any:
    """A copy of a request body where each base64 `data` becomes `data_bytes` (decoded size)."""
    if isinstance(value, list):
        return [without_image_data(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("type") == "base64" and isinstance(value.get("data"), str):
        data = value["data"]
        size = len(data) * 3 // 4 - data[-2:].count("=")
        return {**{k: v for k, v in value.items() if k != "data"}, "data_bytes": size}
    return {key: without_image_data(item) for key, item in value.items()}
