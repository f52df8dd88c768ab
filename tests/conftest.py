"""Shared fixtures: the embedded stack (real Temporal, PostgreSQL, S3, emulators, MCP servers
over HTTP) started once per session, and a worker on its own task queue.

The tests run in an environment cut down to an allow-list, for the stack and for every
process they start: a shell's ANTHROPIC_API_KEY, AWS credentials, DATABASE_URL or
META_GRAPH_URL would otherwise switch parts of the stack to the real services, which bill,
upload and write.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from devstack.parts import s3_client
from devstack.signals import stop_on_sigterm
from devstack.stack import EmbeddedStack, StackOptions

FIXTURES = Path(__file__).parent / "fixtures"
KEPT_VARIABLES = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM"}
"""What finds programs, the user and home, locale, time zone and temporary folder."""
KEPT_PREFIXES = ("LC_", "PYTEST_")


def pytest_configure(config: pytest.Config) -> None:
    """Cut the environment down to the allow-list before any test, fixture or stack reads it."""
    for name in list(os.environ):
        if name not in KEPT_VARIABLES and not name.startswith(KEPT_PREFIXES):
            del os.environ[name]
    # A developer's running `make dev` leaves its settings in the user's runtime folder, where
    # `feedpub` would find them: the tests get a runtime folder of their own.
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="feedpub-tests-runtime-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("XDG_RUNTIME_DIR", ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def environment_left_as_found() -> Iterator[None]:
    """Each test leaves the process's environment as it found it. A variable left behind (a
    token, a destination, an address) would reach every later test and every process the
    stack starts, and whether those pass would depend on the order they run in. A test that
    leaves one fails, naming the variables (never their values), and they are put back."""
    before = dict(os.environ)
    yield
    after = dict(os.environ)
    # pytest itself names the test and its phase in PYTEST_CURRENT_TEST.
    changed = sorted(
        name
        for name in {*before, *after}
        if after.get(name) != before.get(name) and not name.startswith("PYTEST_")
    )
    if changed:
        os.environ.clear()
        os.environ.update(before)
        pytest.fail(f"the test left the environment changed: {', '.join(changed)}")


@pytest.fixture(scope="session")
def stack() -> Iterator[EmbeddedStack]:
    stop_on_sigterm()  # a test run stopped by `timeout` or CI still stops its PostgreSQL
    started = EmbeddedStack(
        StackOptions(
            brands_file=FIXTURES / "brands.toml", task_queue=f"agent-tasks-{uuid.uuid4().hex[:8]}"
        )
    )
    started.start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
async def worker(stack: EmbeddedStack) -> AsyncIterator[None]:
    # Imported here: a session that needs no worker (unit tests, a probe) starts seconds sooner.
    from temporal_app.worker import run_worker

    stop = asyncio.Event()
    # Messages link to a console at this address; they go to the stack's inbox.
    settings = stack.worker_settings(CONSOLE_PUBLIC_URL="https://console.feedpub.test")
    task = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
    try:
        yield
    finally:
        stop.set()
        await task


@pytest.fixture(scope="session")
async def client(stack: EmbeddedStack) -> Client:
    return await Client.connect(stack.temporal_address)


@pytest.fixture
def s3(stack: EmbeddedStack) -> Any:
    """A boto3 S3 client on the stack's bucket."""
    return s3_client(stack.s3_env)
