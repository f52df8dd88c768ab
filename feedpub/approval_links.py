"""Approval links: a signed token that opens one waiting run's approval page without a
password, until that run's deadline.

The notifier signs one into the "approval waiting" message (``?link=<token>`` on the approval
page's address); the console reads it when the link is opened. Both hold the same secret,
``CONSOLE_LINK_SECRET``. The token names the run and its deadline and is signed, not
encrypted: it says nothing a person given the message does not already see. Opening a link
decides nothing; what it allows (approve or reject that one run) is the console's rule.
"""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer

__all__ = ["SALT", "LinkRefused", "read_approval_link", "sign_approval_link"]

SALT = "feedpub-approval-link"
"""Keeps these tokens apart from anything else signed with the same secret (a session's CSRF
token cannot pass for a link, nor a link for it)."""


class LinkRefused(Exception):
    """The link opens nothing; ``reason`` says why in words a person can act on."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def sign_approval_link(secret: str, workflow_id: str, run_id: str, deadline_iso: str) -> str:
    """A token for the run ``workflow_id``/``run_id``, good until ``deadline_iso`` (ISO 8601
    with its offset: the run's approval deadline)."""
    _moment(deadline_iso)  # a deadline that cannot be read later is refused now
    return str(_serializer(secret).dumps({"w": workflow_id, "r": run_id, "until": deadline_iso}))


def read_approval_link(
    secret: str, token: str, workflow_id: str, run_id: str, now: datetime
) -> None:
    """Return when ``token`` opens the run ``workflow_id``/``run_id`` at ``now`` (aware);
    raise ``LinkRefused`` when it was changed, is for another run, or its deadline passed."""
    serializer = _serializer(secret)
    try:
        found = serializer.loads(token)
        until = _moment(found["until"])
        for_run = (found["w"], found["r"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(
            "this link is not one feedpub made: it was changed or cut short"
        ) from None
    if for_run != (workflow_id, run_id):
        raise LinkRefused("this link is for another post")
    if now >= until:
        raise LinkRefused(
            f"this link expired at {until.isoformat()}, the post's deadline: nothing waits "
            "for a decision any more"
        )


def _serializer(secret: str) -> URLSafeSerializer:
    if not secret:
        raise ValueError("an approval link needs a secret (CONSOLE_LINK_SECRET)")
    return URLSafeSerializer(secret, salt=SALT)


def _moment(text: object) -> datetime:
    if not isinstance(text, str):
        raise ValueError("a deadline is ISO 8601 text")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"the deadline {text!r} has no offset")
    return moment
