"""The worker's health endpoint: ``GET /healthz`` at ``HEALTH_BIND_ADDRESS``.

It answers JSON with each part's state, checked when asked (each within a few seconds):
Temporal (the frontend's health check through the worker's own client) and each MCP server
(a ping over a probe session with the worker's token, so a wrong token shows as down)::

    {"status": "up", "parts": {"temporal": {"up": true}, "feed-publisher": {"up": true},
     "agent-outputs": {"up": false, "error": "ConnectError: ..."}}}

HTTP 200 only when every part is up, 503 otherwise; 404 for any other path.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from temporalio.client import Client

from ..mcp_client import McpConnection

__all__ = ["Health", "serve_health"]

CHECK_SECONDS = 3.0

Check = Callable[[], Awaitable[object]]


class Health:
    """Named checks; each passes when it returns without raising within CHECK_SECONDS."""

    def __init__(self, checks: Mapping[str, Check]) -> None:
        self._checks = dict(checks)

    @classmethod
    def of_worker(cls, client: Client, mcp: list[McpConnection]) -> Health:
        async def temporal() -> None:
            if not await client.service_client.check_health(
                timeout=timedelta(seconds=CHECK_SECONDS)
            ):
                raise ConnectionError("Temporal's health check says not serving")

        return cls({"temporal": temporal, **{server.name: server.ping for server in mcp}})

    async def _part(self, check: Check) -> dict[str, Any]:
        try:
            await asyncio.wait_for(check(), CHECK_SECONDS)
        except Exception as exc:
            return {"up": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        return {"up": True}

    async def state(self) -> dict[str, Any]:
        names = list(self._checks)
        parts = await asyncio.gather(*(self._part(self._checks[name]) for name in names))
        up = all(part["up"] for part in parts)
        return {"status": "up" if up else "down", "parts": dict(zip(names, parts, strict=True))}


async def serve_health(health: Health, bind_address: str) -> asyncio.Server:
    """Serve ``health`` over plain HTTP/1.0 at ``host:port`` until the server is closed."""
    host, _, port = bind_address.rpartition(":")

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            method, path, *_ = request.decode("latin-1").split(" ", 2)
            if method == "GET" and path.split("?")[0] in ("/healthz", "/health"):
                state = await health.state()
                code = "200 OK" if state["status"] == "up" else "503 Service Unavailable"
                body = json.dumps(state).encode()
            else:
                code, body = "404 Not Found", b'{"error": "GET /healthz"}'
            writer.write(
                f"HTTP/1.0 {code}\r\ncontent-type: application/json\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(answer, host or "0.0.0.0", int(port))
