"""The console in the embedded stack: its database role, its process, a first admin.

The embedded database's owner (``feedpub``) may not create roles, as a managed database's
owner often may not: the stack makes the console's role first, as an administrator would, and
the migrations grant it the ``console`` schema. Once they ran, the role gets a login with a
password of its own, which must be given (a line in ``pg_hba.conf``).
"""

from __future__ import annotations

import asyncio
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub_apps.console.auth import hash_password
from feedpub_apps.console.store import ROLES, open_store

from .parts import password_rule
from .processes import ChildProcess
from .serve import preferred_port

if TYPE_CHECKING:
    from .stack import EmbeddedStack

__all__ = [
    "CONSOLE_ROLE",
    "FIRST_ADMIN",
    "StackConsole",
    "add_first_admin",
    "give_console_login",
]

CONSOLE_ROLE = "feedpub_console"
FIRST_ADMIN = "admin@feedpub.local"


def prepare_console_role(server: Any, pgdata: Path) -> None:
    """The role without a login, and the rule that it proves its password once it has one."""
    import psycopg

    password_rule(pgdata, CONSOLE_ROLE)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        known = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (CONSOLE_ROLE,))
        if known.fetchone() is None:
            conn.execute(f"CREATE ROLE {CONSOLE_ROLE} NOLOGIN")
        conn.execute("SELECT pg_reload_conf()")


def give_console_login(server: Any, password: str, database: str) -> str:
    """Give the role a login with ``password``; return its URL on ``database``."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(CONSOLE_ROLE), sql.Literal(password)
            )
        )
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://{CONSOLE_ROLE}:{password}@/{database}?host={socket_dir}"


def start_console(env: dict[str, str], log_path: Path, port: int) -> ChildProcess:
    """``python -m feedpub_apps.console`` as ``RUN_MODE=console`` runs it, on ``port``."""
    console = ChildProcess(
        "console", [sys.executable, "-m", "feedpub_apps.console"], env=env, log_path=log_path
    )
    console.wait_for_port("127.0.0.1", port)
    return console


async def add_first_admin(database_url: str, brands: list[str]) -> str:
    """An admin of every brand with a new random password (a new one at every start); return
    the password."""
    password = secrets.token_urlsafe(12)
    hashed = hash_password(password)
    store = await open_store(database_url, max_size=1)
    try:
        if not await store.add_user(FIRST_ADMIN, hashed, dict.fromkeys(brands, ROLES[-1])):
            await store.set_password(FIRST_ADMIN, hashed)
            for brand in brands:
                await store.set_role(FIRST_ADMIN, brand, ROLES[-1])
    finally:
        await store.pool.close()
    return password


@dataclass(frozen=True)
class StackConsole:
    """The console of ``make run`` and ``make dev``: on localhost, port 8000 when free."""

    port: int
    url: str

    @classmethod
    def on_localhost(cls) -> StackConsole:
        port = preferred_port(8000)
        return cls(port, f"http://127.0.0.1:{port}")

    def worker_links(self, stack: EmbeddedStack) -> dict[str, str]:
        """The worker's settings by which messages link to this console's pages, approval
        links signed for it."""
        return {"CONSOLE_PUBLIC_URL": self.url, "CONSOLE_LINK_SECRET": stack.console_link_secret}

    async def start(self, stack: EmbeddedStack) -> tuple[ChildProcess, list[str]]:
        """The console's process, up, with a first admin of every brand; the process (the
        caller stops it) and the lines that say where it is and how to log in."""
        env = stack.console_env(CONSOLE_PORT=str(self.port), CONSOLE_PUBLIC_URL=self.url)
        log = stack.workdir / "logs" / "console.log"
        process = await asyncio.to_thread(start_console, env, log, self.port)
        try:
            password = await add_first_admin(env["CONSOLE_DATABASE_URL"], list(stack.brands))
        except BaseException:
            process.stop()
            raise
        return process, self.login_lines(password)

    def login_lines(self, password: str) -> list[str]:
        return [
            f"Console       {self.url}  log in as {FIRST_ADMIN}, password {password}",
            "              (admin of every brand; a new password at every start). More people:",
            "              .venv/bin/feedpub users add EMAIL --brand pomandi --role approver",
        ]
