"""What the CLI commands share: settings, brands, a Temporal client, clear failures."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from temporalio.client import Client

from feedpub.brands import Brand, BrandsFileError, load_brands
from feedpub.settings import SettingsError
from temporal_app.client import TemporalUnreachable, get_temporal_client

from ..dev_settings import use_dev_settings
from ..servers import AppError

__all__ = ["brand_named", "brands_file", "connect", "load", "run_command", "task_queue"]


def brands_file(args: Any = None) -> Path:
    given = getattr(args, "brands", None)
    return Path(given or os.environ.get("BRANDS_FILE", "brands.toml"))


def load(args: Any = None) -> dict[str, Brand]:
    try:
        return load_brands(brands_file(args))
    except BrandsFileError as exc:
        raise AppError("\n".join([f"{exc.path}: cannot be used:", *exc.problems]), 2) from None


def brand_named(name: str, brands: dict[str, Brand]) -> Brand:
    if name not in brands:
        known = ", ".join(sorted(brands)) or "none"
        raise AppError(f"unknown brand '{name}'; known brands: {known}", 2)
    return brands[name]


def task_queue() -> str:
    return os.environ.get("TEMPORAL_TASK_QUEUE", "agent-tasks")


async def connect() -> Client:
    """A client from the ``TEMPORAL_*`` variables; a bad one, or no answer, is an AppError."""
    try:
        return await get_temporal_client()
    except SettingsError as exc:
        raise AppError(str(exc), 2) from None
    except TemporalUnreachable as exc:
        raise AppError(str(exc)) from None


def run_command(body: Callable[[], Coroutine[Any, Any, int | None]]) -> int:
    """Run an async command body; print an AppError as one line on stderr.

    A client setting left unset comes from the running dev stack, if there is one.
    """
    use_dev_settings()
    try:
        return asyncio.run(body()) or 0
    except AppError as exc:
        print(f"feedpub: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
