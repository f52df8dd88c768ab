"""Logging in: argon2 password hashes, session cookies, CSRF tokens, the login rate limit.

The session cookie holds a random token, signed with ``CONSOLE_SECRET_KEY``; the database keeps
only its sha256 (``console.sessions.id``), so a copy of the table lets nobody in, and removing
the row ends the session. A CSRF token is a signature of the session id (or, before a login,
of a random value in a cookie of its own): a form from another site cannot carry one.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from .store import ConsoleStore

__all__ = [
    "LOGIN_COOKIE",
    "SESSION_COOKIE",
    "SESSION_LIFETIME",
    "Attempt",
    "Keys",
    "LoginRefused",
    "check_login",
    "hash_password",
    "new_token",
    "session_id",
]

SESSION_COOKIE = "feedpub_session"
LOGIN_COOKIE = "feedpub_login"
"""Before a login: the random value the login form's CSRF token is bound to."""
SESSION_LIFETIME = timedelta(days=7)
CSRF_LIFETIME_SECONDS = 12 * 3600
"""A form left open longer than this is refused; reloading the page gives a fresh token."""
FAILURES_PER_EMAIL = 5
FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = timedelta(minutes=15)

_HASHER = PasswordHasher()


@cache
def _unknown() -> str:
    """Checked against when the login address is unknown, so that an unknown address takes as
    long to refuse as a wrong password (no telling which addresses have accounts)."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def session_id(token: str) -> str:
    """What the database keeps of a session's token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Keys:
    """Signing with ``CONSOLE_SECRET_KEY``: the session cookie and the CSRF tokens."""

    def __init__(self, secret: str) -> None:
        self._cookies = URLSafeSerializer(secret, salt="feedpub-session")
        self._csrf = URLSafeTimedSerializer(secret, salt="feedpub-csrf")
        self._flash = URLSafeTimedSerializer(secret, salt="feedpub-flash")

    def cookie(self, token: str) -> str:
        return self._cookies.dumps(token)

    def token_of(self, cookie: str | None) -> str | None:
        """The token a cookie carries, or None when it is missing or not ours."""
        if not cookie:
            return None
        try:
            token = self._cookies.loads(cookie)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def csrf(self, binding: str) -> str:
        """A CSRF token for forms shown to the holder of ``binding`` (a session id)."""
        return self._csrf.dumps(binding)

    def csrf_holds(self, token: str | None, binding: str | None) -> bool:
        if not token or not binding:
            return False
        try:
            signed = self._csrf.loads(token, max_age=CSRF_LIFETIME_SECONDS)
        except BadSignature:
            return False
        return isinstance(signed, str) and secrets.compare_digest(signed, binding)

    def flash(self, text: str) -> str:
        return self._flash.dumps(text)

    def flash_text(self, value: str | None) -> str | None:
        """The message a redirect left for the next page (within a minute), or None."""
        if not value:
            return None
        try:
            text = self._flash.loads(value, max_age=60)
        except BadSignature:
            return None
        return text if isinstance(text, str) else None


class LoginRefused(Exception):
    """A login not let in; the message is what the person is shown."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


WRONG = "Wrong e-mail address or password."
EMAIL_MAX_CHARS = 254
PASSWORD_MAX_CHARS = 1024
"""``feedpub users`` takes no longer password: a longer one costs hashing time for nothing."""
TOO_MANY = (
    "Too many failed logins: wait 15 minutes and try again. "
    "Until then the right password is refused too."
)


@dataclass(frozen=True)
class Attempt:
    email: str
    password: str
    address: str


async def check_login(store: ConsoleStore, attempt: Attempt) -> str:
    """The person's address when ``attempt`` may log in; else LoginRefused.

    Failures are counted in the database per login address and per client address; past
    the limit every attempt is refused unchecked, the right password too.
    """
    ids, by_email, by_address = await store.count_attempt(
        attempt.email, attempt.address, FAILURE_WINDOW, keep=FAILURE_WINDOW * 4
    )
    if by_email > FAILURES_PER_EMAIL or by_address > FAILURES_PER_ADDRESS:
        raise LoginRefused(TOO_MANY, 429)
    if len(attempt.email) > EMAIL_MAX_CHARS or len(attempt.password) > PASSWORD_MAX_CHARS:
        raise LoginRefused(WRONG, 401)  # no account has such a name or password: no hashing
    stored = await store.password_hash(attempt.email)
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop.
    if not await asyncio.to_thread(_verify, stored or _unknown(), attempt.password):
        raise LoginRefused(WRONG, 401)
    await store.forget_attempt(ids)
    await store.forget_failures(attempt.email)
    return attempt.email
