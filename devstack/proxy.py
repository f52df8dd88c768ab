"""A round-robin HTTP proxy on localhost, in front of the replicas of one MCP server.

Each request goes to the next replica, as an ordinary load balancer without sticky sessions
sends it, so a client's calls land on replicas that have never seen it. A replica that
refuses the connection or does not accept it within 2 s (killed, restarting, too busy) is
skipped for that request, as a load balancer's health check would take it out: a request
that never reached a replica is safe to send to another. A replica that dies while it
answers is not retried here: the client sees the broken answer, as it would behind a real
load balancer.

Written here rather than taken from a package: HAProxy and nginx install from Debian, but
the dev stack would then need root to install them and a configuration written per run. On
top of Starlette and httpx, which feedpub already uses, this is a few dozen lines: it starts
in the stack's process on a free port, streams each answer as it is written (MCP may answer
with server-sent events), and lets a test or a bench see how many requests each replica got
and move a replica to another address. In a deployment a real load balancer stands there
(``docker-compose.yml``).
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Sequence

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .serve import ServedApp, serve_in_thread

__all__ = ["RoundRobinProxy"]

# Headers that belong to one hop (RFC 9110 §7.6.1), and the ones httpx sets itself.
_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip


class RoundRobinProxy:
    """Sends each request to the next of ``backends`` (base URLs, ``http://127.0.0.1:PORT``)."""

    def __init__(self, backends: Sequence[str]) -> None:
        self._lock = threading.Lock()
        self._backends: list[str] = []
        self._turns: itertools.cycle[str] = itertools.cycle([])
        self.set_backends(backends)
        self.requests: Counter[str] = Counter()
        """Requests each backend was sent (refused connections not counted)."""
        self._served: ServedApp | None = None
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(None, connect=2.0))

    def set_backends(self, backends: Sequence[str]) -> None:
        """Replace the replicas (one restarted on another port, one added or taken away)."""
        if not backends:
            raise ValueError("a proxy needs at least one backend")
        with self._lock:
            self._backends = [url.rstrip("/") for url in backends]
            self._turns = itertools.cycle(self._backends)

    def _next(self) -> str:
        with self._lock:
            return next(self._turns)

    @property
    def url(self) -> str:
        if self._served is None:
            raise RuntimeError("the proxy is not started")
        return self._served.url

    def start(self) -> str:
        """Serve on a free localhost port; the proxy's base URL."""
        app = Starlette(routes=[Route("/{path:path}", self._forward, methods=_METHODS)])
        self._served = serve_in_thread(app)
        return self._served.url

    def stop(self) -> None:
        if self._served is not None:
            self._served.stop()

    async def _forward(self, request: Request) -> Response:
        body = await request.body()
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _HOP]
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        refused: list[str] = []
        for _ in range(len(self._backends)):
            backend = self._next()
            outgoing = self._client.build_request(
                request.method, backend + target, headers=headers, content=body
            )
            try:
                answer = await self._client.send(outgoing, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                refused.append(backend)
                continue
            except httpx.HTTPError as exc:
                # The replica took the request and broke off before answering: what it did
                # is unknown, so it is not sent elsewhere; the client decides.
                self.requests[backend] += 1
                return Response(f"{backend} broke off: {exc!r}", status_code=502)
            self.requests[backend] += 1
            return StreamingResponse(
                answer.aiter_raw(),
                status_code=answer.status_code,
                headers={k: v for k, v in answer.headers.items() if k.lower() not in _HOP},
                background=BackgroundTask(answer.aclose),
            )
        return Response(f"no replica answers: {', '.join(refused)}", status_code=502)


_METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]
