"""A TCP port that accepts connections and never answers: an SMTP server or a webhook that
hangs, as a destination can in production (a firewall that drops, a server stuck mid-call)."""

from __future__ import annotations

import contextlib
import socket
import threading

__all__ = ["SilentPort"]


class SilentPort:
    """Listens on 127.0.0.1 (``port``) until ``stop()``; whatever connects waits forever."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="silent-port", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # stopped
            self._held.append(connection)  # held open, never read from nor written to

    def stop(self) -> None:
        # shutdown() wakes the accept() above on Linux; close() alone may not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(5)
        for connection in self._held:
            connection.close()

    def __enter__(self) -> SilentPort:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
