"""The console's data in PostgreSQL (schema ``console``, role ``feedpub_console``): people, their
roles per brand, sessions, failed logins, decisions.

Every request reads the person and their roles here (one query), so a removed person or a
lowered role takes effect at the next request, and two replicas of the console behave as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import psycopg
from psycopg import errors
from psycopg_pool import AsyncConnectionPool

__all__ = [
    "ROLES",
    "ConsoleStore",
    "LastAdmin",
    "Role",
    "SessionPerson",
    "UserRow",
    "open_store",
    "schema_problem",
]

Role = Literal["viewer", "approver", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "approver", "admin")
"""From the least to the most allowed."""


class LastAdmin(Exception):
    """The change would leave a brand without an admin, and nobody could manage it then."""


@dataclass(frozen=True)
class SessionPerson:
    """Who a live session belongs to, and their roles as they are now."""

    email: str
    roles: dict[str, Role]


@dataclass(frozen=True)
class UserRow:
    email: str
    created_at: datetime
    roles: dict[str, Role]


class ConsoleStore:
    """Queries on the console schema over a pool of the console role's connections."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool

    # -- people --------------------------------------------------------------------------------
    async def add_user(self, email: str, password_hash: str, roles: dict[str, Role]) -> bool:
        """Add a person with ``roles``; False when the address is taken (nothing changes)."""
        async with self.pool.connection() as conn, conn.transaction():
            added = await conn.execute(
                "INSERT INTO console.users (email, password_hash) VALUES (%s, %s)"
                " ON CONFLICT (email) DO NOTHING",
                (email, password_hash),
            )
            if added.rowcount == 0:
                return False
            for brand, role in roles.items():
                await conn.execute(
                    "INSERT INTO console.memberships (email, brand, role) VALUES (%s, %s, %s)",
                    (email, brand, role),
                )
        return True

    async def set_role(
        self, email: str, brand: str, role: Role | None, *, keep_an_admin: bool = False
    ) -> bool:
        """Give ``email`` ``role`` for ``brand`` (None: no access); False for no such person.
        With ``keep_an_admin``, raise ``LastAdmin`` (nothing changed) rather than take the
        brand's last admin away."""
        async with self.pool.connection() as conn, conn.transaction():
            known = await conn.execute("SELECT 1 FROM console.users WHERE email = %s", (email,))
            if await known.fetchone() is None:
                return False
            if keep_an_admin and role != "admin":
                # Locked, so that two admins lowering each other at once cannot both pass.
                admins = await conn.execute(
                    "SELECT email FROM console.memberships WHERE brand = %s AND role = 'admin'"
                    " FOR UPDATE",
                    (brand,),
                )
                if [row[0] for row in await admins.fetchall()] == [email]:
                    raise LastAdmin(f"{email} is the last admin of {brand}")
            if role is None:
                await conn.execute(
                    "DELETE FROM console.memberships WHERE email = %s AND brand = %s",
                    (email, brand),
                )
            else:
                await conn.execute(
                    "INSERT INTO console.memberships (email, brand, role) VALUES (%s, %s, %s)"
                    " ON CONFLICT (email, brand) DO UPDATE SET role = EXCLUDED.role",
                    (email, brand, role),
                )
        return True

    async def set_password(self, email: str, password_hash: str) -> bool:
        """A new password ends every session of the person; False for no such person."""
        async with self.pool.connection() as conn, conn.transaction():
            changed = await conn.execute(
                "UPDATE console.users SET password_hash = %s WHERE email = %s",
                (password_hash, email),
            )
            await conn.execute("DELETE FROM console.sessions WHERE email = %s", (email,))
        return changed.rowcount > 0

    async def remove_user(self, email: str) -> bool:
        """Remove a person, their roles and sessions (their decisions stay)."""
        async with self.pool.connection() as conn:
            removed = await conn.execute("DELETE FROM console.users WHERE email = %s", (email,))
        return removed.rowcount > 0

    async def users(self) -> list[UserRow]:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT u.email, u.created_at, m.brand, m.role FROM console.users u"
                " LEFT JOIN console.memberships m USING (email) ORDER BY u.email, m.brand"
            )
            rows = await cur.fetchall()
        found: dict[str, UserRow] = {}
        for email, created_at, brand, role in rows:
            row = found.setdefault(email, UserRow(email, created_at, {}))
            if brand is not None:
                row.roles[brand] = role
        return list(found.values())

    async def members(self, brand: str) -> dict[str, Role]:
        """Who has a role for ``brand``, by e-mail address."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT email, role FROM console.memberships WHERE brand = %s ORDER BY email",
                (brand,),
            )
            return {email: role for email, role in await cur.fetchall()}

    async def password_hash(self, email: str) -> str | None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT password_hash FROM console.users WHERE email = %s", (email,)
            )
            row = await cur.fetchone()
        return row[0] if row else None

    # -- sessions ------------------------------------------------------------------------------
    async def open_session(self, session_id: str, email: str, lifetime: timedelta) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(
                "INSERT INTO console.sessions (id, email, expires_at) VALUES (%s, %s, now() + %s)",
                (session_id, email, lifetime),
            )

    async def session_person(self, session_id: str) -> SessionPerson | None:
        """The person of a live session with their roles now, and the session marked seen;
        None when it expired, was closed, or its person was removed."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "WITH live AS (UPDATE console.sessions SET last_seen_at = now()"
                "   WHERE id = %s AND expires_at > now() RETURNING email)"
                " SELECT live.email, m.brand, m.role FROM live"
                " LEFT JOIN console.memberships m USING (email)",
                (session_id,),
            )
            rows = await cur.fetchall()
        if not rows:
            return None
        roles = {brand: role for _email, brand, role in rows if brand is not None}
        return SessionPerson(rows[0][0], roles)

    async def close_session(self, session_id: str) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(
                "DELETE FROM console.sessions WHERE id = %s OR expires_at < now()", (session_id,)
            )

    # -- failed logins -------------------------------------------------------------------------
    async def count_attempt(
        self, email: str, address: str, within: timedelta, keep: timedelta
    ) -> tuple[list[int], int, int]:
        """Count a login attempt against both its login address and its client address
        before its password is checked, so that attempts sent at once cannot all slip under
        the limit; return its rows and the attempts within ``within`` for each, this one
        included. Attempts older than ``keep`` are dropped."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "INSERT INTO console.login_attempts (kind, who) VALUES ('email', %s),"
                " ('address', %s) RETURNING id",
                (email, address),
            )
            ids = [int(row[0]) for row in await cur.fetchall()]
            await conn.execute("DELETE FROM console.login_attempts WHERE at < now() - %s", (keep,))
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) FILTER (WHERE kind = 'email' AND who = %s),"
                "       count(*) FILTER (WHERE kind = 'address' AND who = %s)"
                " FROM console.login_attempts WHERE at > now() - %s"
                "   AND ((kind = 'email' AND who = %s) OR (kind = 'address' AND who = %s))",
                (email, address, within, email, address),
            )
            row = await cur.fetchone()
        assert row is not None
        return ids, int(row[0]), int(row[1])

    async def forget_attempt(self, ids: list[int]) -> None:
        """A login that succeeded is no failure of its client address."""
        async with self.pool.connection() as conn:
            await conn.execute("DELETE FROM console.login_attempts WHERE id = ANY(%s)", (ids,))

    async def forget_failures(self, email: str) -> None:
        """A successful login starts the login address's count again (not the client's)."""
        async with self.pool.connection() as conn:
            await conn.execute(
                "DELETE FROM console.login_attempts WHERE kind = 'email' AND who = %s", (email,)
            )

    # -- decisions -----------------------------------------------------------------------------
    async def record_decision(
        self,
        *,
        workflow_id: str,
        run_id: str,
        brand: str,
        decision: str,
        by_email: str | None,
        via: Literal["login", "link"],
        detail: str | None = None,
    ) -> None:
        """Who decided what on which run, and when (now)."""
        async with self.pool.connection() as conn:
            await conn.execute(
                "INSERT INTO console.decisions"
                " (workflow_id, run_id, brand, decision, by_email, via, detail)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (workflow_id, run_id, brand, decision, by_email, via, detail),
            )

    async def answers(self) -> bool:
        """The database answers the console role (``/healthz``)."""
        async with self.pool.connection() as conn:
            await conn.execute("SELECT 1 FROM console.sessions LIMIT 0")
        return True


async def open_store(url: str, *, max_size: int = 5, timeout: float = 30) -> ConsoleStore:
    """A store on a pool of ``url``'s connections, open and checked before use."""
    pool = AsyncConnectionPool(
        url, min_size=1, max_size=max_size, open=False, timeout=10,
        check=AsyncConnectionPool.check_connection,
    )  # fmt: skip
    await pool.open(wait=True, timeout=timeout)
    return ConsoleStore(pool)


MALFORMED_URL = "CONSOLE_DATABASE_URL is not a PostgreSQL address psycopg can read"
"""A bad setting (exit 2), where the other problems are a database that does not serve."""


async def schema_problem(url: str) -> str | None:
    """What keeps ``url`` (CONSOLE_DATABASE_URL) from the console schema, in one line; None
    when it can work there."""
    try:
        async with await psycopg.AsyncConnection.connect(url, connect_timeout=10) as conn:
            await conn.execute("SELECT 1 FROM console.sessions LIMIT 0")
    except (errors.UndefinedTable, errors.InvalidSchemaName):
        return (
            "the database of CONSOLE_DATABASE_URL has no console schema yet: start an MCP "
            "server on it first (they apply the migrations)"
        )
    except errors.InsufficientPrivilege:
        return (
            "the role of CONSOLE_DATABASE_URL may not use the console schema: it must be "
            "feedpub_console (README: The console)"
        )
    except psycopg.ProgrammingError:
        # psycopg quotes the part of a malformed address it could not read, which can be the
        # password: say only which variable to look at.
        return MALFORMED_URL
    except psycopg.Error as exc:
        # Connection failures name the host, port, user and database tried, never the password.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the database (CONSOLE_DATABASE_URL) does not answer: {reason}"
    return None
