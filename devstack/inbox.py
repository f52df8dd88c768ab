"""The dev stack's inbox: a real SMTP server (aiosmtpd) and a webhook receiver that checks
feedpub's signature, each keeping what it got, so that ``make run`` and the tests see the
messages a team would.

The webhook receiver does what a receiver in production should: it refuses a message whose
signature does not verify with the hook's secret (or that is older than the tolerance), and
drops a repeat of an event id it already has.
"""

from __future__ import annotations

import email
import email.policy
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from feedpub.contract.notices import split_event_line
from feedpub.webhook_signature import SignatureRefused, verify

from .serve import ServedApp, free_port, serve_in_thread

__all__ = ["Inbox", "Received"]


@dataclass(frozen=True)
class Received:
    """One message as a receiver got it."""

    receiver: str
    """``smtp`` or ``webhook``."""
    to: str
    """The e-mail's recipients, or the webhook's name."""
    subject: str
    """The e-mail's subject, or the webhook's title."""
    body: str
    event_id: str | None
    verified: bool | None = None
    """For a webhook: whether its signature verified (a refused one is kept, and answered 401)."""
    refused: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    """For a webhook: its JSON (``event_id``, ``brand``, ``kind``, ``title``, ``message``...)."""

    def line(self) -> str:
        """``webhook pomandi-webhook  feedpub pomandi: post failed``, for a listing."""
        seal = {True: " (signed)", False: f" (refused: {self.refused})", None: ""}[self.verified]
        return f"{self.receiver:<8} {self.to:<24} {self.subject}{seal}"


class Inbox:
    """Start with ``start()``, point destinations at ``mailto()`` and ``hook_url()``, read
    ``received()``; ``stop()`` at the end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._seen: set[tuple[str, str]] = set()
        self.repeats_dropped = 0
        self.hook_secrets: dict[str, str] = {}
        self._smtp: Controller | None = None
        self._web: ServedApp | None = None
        self.on_receive: Callable[[Received], None] | None = None
        """Called with each message kept (from the receiver's thread): ``make dev`` prints it."""

    def start(self) -> Inbox:
        self.smtp_port = free_port()
        self._smtp = Controller(
            _MailHandler(self._record), hostname="127.0.0.1", port=self.smtp_port
        )
        self._smtp.start()
        routes = [Route("/hooks/{name}", self._hook, methods=["POST"])]
        self._web = serve_in_thread(Starlette(routes=routes))
        return self

    def stop(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
            self._smtp = None
        if self._web is not None:
            self._web.stop()
            self._web = None

    def where(self) -> str:
        """Where the inbox listens, for a person to read."""
        assert self._web is not None, "start() the inbox first"
        return f"SMTP 127.0.0.1:{self.smtp_port}, signed webhooks {self._web.url}/hooks/<name>"

    # -- destinations ------------------------------------------------------------------------
    def mailto(self, to: str, *, sender: str = "feedpub@example.com") -> str:
        """An apprise URL that e-mails ``to`` through this SMTP server."""
        return f"mailto://127.0.0.1:{self.smtp_port}?from={sender}&to={to}&mode=insecure"

    def hook_url(self, name: str) -> str:
        """A signed-webhook URL to the hook ``name``, with a secret of its own."""
        secret = self.hook_secrets.setdefault(name, secrets.token_urlsafe(24))
        assert self._web is not None, "start() the inbox first"
        return f"signedhook://127.0.0.1:{self._web.port}/hooks/{name}?secret={secret}"

    # -- what was received -------------------------------------------------------------------
    def received(
        self, *, receiver: str | None = None, event_id: str | None = None
    ) -> list[Received]:
        with self._lock:
            return [
                got
                for got in self._received
                if receiver in (None, got.receiver) and event_id in (None, got.event_id)
            ]

    def wait_for(
        self, found: Callable[[list[Received]], bool], *, timeout: float = 10.0
    ) -> list[Received]:
        """Everything received, once ``found`` says it is there; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while not found(got := self.received()):
            if time.monotonic() > deadline:
                lines = "\n".join(item.line() for item in got) or "nothing"
                raise TimeoutError(f"not received within {timeout} s; the inbox has:\n{lines}")
            time.sleep(0.02)
        return got

    def _record(self, got: Received) -> bool:
        """Keep ``got``; False (and not kept) for a signed repeat of an event id already had."""
        with self._lock:
            if got.verified and got.event_id:
                key = (got.to, got.event_id)
                if key in self._seen:
                    self.repeats_dropped += 1
                    return False
                self._seen.add(key)
            self._received.append(got)
        if self.on_receive is not None:
            self.on_receive(got)
        return True

    async def _hook(self, request: Request) -> PlainTextResponse:
        name = request.path_params["name"]
        body = await request.body()
        if name not in self.hook_secrets:
            return PlainTextResponse("no such hook", status_code=404)
        payload = _json(body)
        title, message = str(payload.get("title", "")), str(payload.get("message", ""))
        try:
            event_id = verify(self.hook_secrets[name], request.headers, body)
        except SignatureRefused as refused:
            refusal = Received("webhook", name, title, message, None, False, str(refused), payload)
            self._record(refusal)
            return PlainTextResponse(str(refused), status_code=401)
        fresh = self._record(
            Received("webhook", name, title, message, event_id, True, None, payload)
        )
        return PlainTextResponse("ok" if fresh else "repeat dropped")


class _MailHandler:
    """aiosmtpd's handler: every message accepted is kept."""

    def __init__(self, record: Callable[[Received], bool]) -> None:
        self._record = record

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content().replace("\r\n", "\n") if part is not None else ""
        to = ", ".join(envelope.rcpt_tos)
        self._record(
            Received("smtp", to, str(message["subject"] or ""), text, split_event_line(text)[1])
        )
        return "250 Message accepted for delivery"


def _json(body: bytes) -> dict[str, Any]:
    try:
        found = json.loads(body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
