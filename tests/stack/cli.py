"""Running the ``feedpub`` command against the test stack, without blocking its worker."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from devstack.stack import EmbeddedStack

FEEDPUB = Path(sys.executable).parent / "feedpub"


async def feedpub(
    stack: EmbeddedStack, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Exit code and combined output of ``feedpub ARGS`` (the worker keeps running meanwhile)."""
    environment = {
        **os.environ,
        **(env or {}),
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "TEMPORAL_TASK_QUEUE": stack.options.task_queue,
        "BRANDS_FILE": str(stack.options.brands_file),
    }
    proc = await asyncio.create_subprocess_exec(
        str(FEEDPUB), *args, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode or 0, out.decode(errors="replace")
