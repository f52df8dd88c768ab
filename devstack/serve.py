"""Serve an ASGI app with uvicorn on a background thread (emulators, MCP servers in tests)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from .processes import port_open


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def preferred_port(preferred: int) -> int:
    """``preferred`` when nothing listens on it on localhost, else a free port."""
    return preferred if not port_open("127.0.0.1", preferred) else free_port()


@dataclass
class ServedApp:
    """An ASGI app running on a uvicorn server in a daemon thread."""

    server: uvicorn.Server
    thread: threading.Thread
    host: str
    port: int
    _stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.server.should_exit = True
        self.thread.join(timeout)


def serve_in_thread(
    app: Any, *, host: str = "127.0.0.1", port: int | None = None, timeout: float = 15.0
) -> ServedApp:
    """Start ``app`` on ``host:port`` (a free port if none) and wait until it accepts requests."""
    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"server on {host}:{port} exited during start-up")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError(f"server on {host}:{port} did not start within {timeout} s")
        time.sleep(0.02)
    return ServedApp(server=server, thread=thread, host=host, port=port)
