"""The MCP Inspector's command line (``@modelcontextprotocol/inspector-cli``, from the npm
registry, at the version ``tests/inspector/package-lock.json`` pins), installed once into
``.devstack/mcp-inspector`` and run against our servers as any third-party client would."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PINNED = ROOT / "tests" / "inspector"
INSTALLED = ROOT / ".devstack" / "mcp-inspector"
CLI = INSTALLED / "node_modules" / "@modelcontextprotocol" / "inspector-cli" / "build" / "index.js"

Inspector = Callable[..., Awaitable[Any]]


def _install() -> None:
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.fail(f"the MCP Inspector check needs Node.js: '{tool}' is not on PATH")
    lock = (PINNED / "package-lock.json").read_bytes()
    if CLI.exists() and (INSTALLED / "package-lock.json").read_bytes() == lock:
        return
    INSTALLED.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(PINNED / name, INSTALLED / name)
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--silent"],
        cwd=INSTALLED, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"npm could not install the MCP Inspector: {done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def inspector() -> Inspector:
    """Run the Inspector's CLI with these arguments; its JSON answer (the test fails with
    what it printed when it fails)."""
    _install()

    async def run(*arguments: str, env: Mapping[str, str] | None = None) -> Any:
        process = await asyncio.create_subprocess_exec(
            "node", str(CLI), *arguments,
            # The CLI finds its own package.json by a path it checks from the working folder
            # but imports from its own: the two agree from inside node_modules.
            cwd=INSTALLED / "node_modules",
            env={**os.environ, **(env or {})},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode(errors="replace")[-2000:]
        return json.loads(out)

    return run
