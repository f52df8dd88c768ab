"""``feedpub users``: who may log in to the console, and their role for each brand.

It works on the console's schema with the console's role (``CONSOLE_DATABASE_URL``), as the
console does. A change takes effect at the person's next request, without a new login.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ..console.auth import PASSWORD_MAX_CHARS, hash_password
from ..console.store import (
    MALFORMED_URL,
    ROLES,
    ConsoleStore,
    Role,
    open_store,
    schema_problem,
)
from ..servers import AppError
from .common import brand_named, load, run_command

__all__ = ["register"]

MIN_PASSWORD_LENGTH = 12
ROLE_HELP = (
    "viewer (sees), approver (also approves, edits, rejects, posts now), "
    "admin (also pauses, manages people)"
)
PAIRS_HELP = (
    "--brand and --role go in pairs (--brand pomandi --role admin --brand costume --role "
    "viewer), or one --role for every --brand"
)


def register(commands: Any) -> None:
    users = commands.add_parser(
        "users", help="the console's people and their role per brand (CONSOLE_DATABASE_URL)"
    )
    each = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    add = each.add_parser("add", help="give a person a login and roles", epilog=PAIRS_HELP)
    add.add_argument("email")
    _brand_roles(add, ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(handler=lambda args: _run(args, add_user))
    role = each.add_parser("role", help="change a person's role for brands", epilog=PAIRS_HELP)
    role.add_argument("email")
    _brand_roles(role, (*ROLES, "none"))
    role.set_defaults(handler=lambda args: _run(args, change_roles))
    password = each.add_parser("password", help="set a new password (ends their sessions)")
    password.add_argument("email")
    password.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    password.set_defaults(handler=lambda args: _run(args, new_password))
    remove = each.add_parser("remove", help="remove a person: their sessions end at once")
    remove.add_argument("email")
    remove.set_defaults(handler=lambda args: _run(args, remove_user))
    listing = each.add_parser("list", help="everyone who may log in, with their roles")
    listing.set_defaults(handler=lambda args: _run(args, list_users))


def _brand_roles(parser: argparse.ArgumentParser, roles: tuple[str, ...]) -> None:
    parser.add_argument("--brand", action="append", required=True, metavar="BRAND")
    parser.add_argument("--role", action="append", required=True, choices=roles, help=ROLE_HELP)


def _run(args: argparse.Namespace, body: Callable[[ConsoleStore, Any], Awaitable[None]]) -> int:
    async def command() -> int:
        url = os.environ.get("CONSOLE_DATABASE_URL")
        if not url:
            raise AppError(
                "CONSOLE_DATABASE_URL is not set; it is the console role's database login "
                "(README: The console)",
                2,
            )
        if (problem := await schema_problem(url)) is not None:
            raise AppError(problem, 2 if problem == MALFORMED_URL else 1)
        store = await open_store(url, max_size=1, timeout=10)
        try:
            await body(store, args)
        finally:
            await store.pool.close()
        return 0

    return run_command(command)


def _email(args: argparse.Namespace) -> str:
    email = str(args.email).strip().lower()
    name, at, domain = email.partition("@")
    if not (name and at and domain) or "@" in domain or any(c.isspace() for c in email):
        raise AppError(f"'{args.email}' is not an e-mail address", 2)
    return email


def _role(name: str) -> Role | None:
    """The role named, or None for "none"."""
    return next((role for role in ROLES if role == name), None)


def _roles(args: argparse.Namespace) -> dict[str, Role | None]:
    brands, roles = list(args.brand), list(args.role)
    if len(roles) == 1:
        roles *= len(brands)
    if len(roles) != len(brands):
        raise AppError(f"{len(args.brand)} --brand but {len(args.role)} --role: {PAIRS_HELP}", 2)
    known = load(args)
    pairs = zip(brands, roles, strict=True)
    return {brand_named(brand, known).name: _role(role) for brand, role in pairs}


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise AppError("no terminal to ask the password on: give it with --password-stdin", 2)
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise AppError("the two passwords differ; nothing changed", 2)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AppError(f"a password has at least {MIN_PASSWORD_LENGTH} characters", 2)
    if len(password) > PASSWORD_MAX_CHARS:
        raise AppError(f"a password has at most {PASSWORD_MAX_CHARS} characters", 2)
    return password


def _said(roles: Mapping[str, Role | None]) -> str:
    said = [f"{brand}={role or 'none'}" for brand, role in sorted(roles.items())]
    return ", ".join(said) or "no brand"


async def add_user(store: ConsoleStore, args: argparse.Namespace) -> None:
    email, roles = _email(args), _roles(args)
    chosen = {brand: role for brand, role in roles.items() if role is not None}
    if not await store.add_user(email, hash_password(_password(args)), chosen):
        raise AppError(
            f"{email} already has a login: change their roles with `feedpub users role`, "
            "their password with `feedpub users password`"
        )
    where = os.environ.get("CONSOLE_PUBLIC_URL")
    print(f"added {email}: {_said(roles)}" + (f"; they log in at {where}" if where else ""))


async def change_roles(store: ConsoleStore, args: argparse.Namespace) -> None:
    email, roles = _email(args), _roles(args)
    for brand, role in roles.items():
        if not await store.set_role(email, brand, role):
            raise AppError(f"no login {email}: add it with `feedpub users add`")
    print(f"{email}: {_said(roles)} (from their next request)")


async def new_password(store: ConsoleStore, args: argparse.Namespace) -> None:
    email = _email(args)
    if not await store.set_password(email, hash_password(_password(args))):
        raise AppError(f"no login {email}: add it with `feedpub users add`")
    print(f"{email}: new password set; their sessions have ended")


async def remove_user(store: ConsoleStore, args: argparse.Namespace) -> None:
    email = _email(args)
    if not await store.remove_user(email):
        raise AppError(f"no login {email}")
    print(f"removed {email}; their sessions have ended")


async def list_users(store: ConsoleStore, _args: argparse.Namespace) -> None:
    found = await store.users()
    if not found:
        print("nobody may log in yet: feedpub users add EMAIL --brand BRAND --role admin")
        return
    width = max(len(user.email) for user in found)
    for user in found:
        print(f"{user.email:<{width}}  since {user.created_at:%Y-%m-%d}  {_said(user.roles)}")
