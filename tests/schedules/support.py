"""Brands files written per test, schedules looked up by id, and the project's commands."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, TypeVar

from temporalio.client import Client, ScheduleDescription
from temporalio.service import RPCError, RPCStatusCode

from devstack.stack import EmbeddedStack

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def unique_brand() -> str:
    return f"sched{uuid.uuid4().hex[:6]}"


def brand_table(**fields: Any) -> dict[str, Any]:
    """A brand table (pomandi's page ids) scheduled at its posting times (``plan_ahead = "0"``),
    with ``fields`` changed; ``write_brands`` gives it a photo folder of its own."""
    return {
        "language": "nl",
        "time_zone": "Europe/Brussels",
        "posting_times": ["09:00", "18:30"],
        "facebook_page_id": "101000000000001",
        "instagram_user_id": "17841400000000001",
        "meta_token_env": "META_ACCESS_TOKEN_POMANDI",
        "voice": "Warm.",
        "plan_ahead": "0",
        **fields,
    }


def write_brands(path: Path, brands: dict[str, dict[str, Any]]) -> Path:
    """Write ``brands`` as a brands.toml at ``path``, each brand in its own photo folder
    (``<name>/``) unless its table names one: brands may not share a folder."""
    lines = []
    for name, table in brands.items():
        lines.append(f"[brands.{name}]")
        with_folder = {"s3_prefix": f"{name}/", **table}
        lines += [f"{key} = {_toml(value)}" for key, value in with_folder.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


async def describe(client: Client, schedule_id: str) -> ScheduleDescription:
    return await client.get_schedule_handle(schedule_id).describe()


async def schedule_exists(client: Client, schedule_id: str) -> bool:
    try:
        await describe(client, schedule_id)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


def command_env(stack: EmbeddedStack, **extra: str) -> dict[str, str]:
    """Environment of a command run against the stack; ``extra`` adds or overrides."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "PYTHON": sys.executable,
        **extra,
    }


async def run(
    argv: list[str], env: dict[str, str], cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run a command off the event loop (the session's client keeps working meanwhile)."""
    return await asyncio.to_thread(
        subprocess.run, argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
