"""Shared fixtures: the embedded stack (real Temporal, PostgreSQL, S3, emulators, MCP servers
over HTTP) started once per session, and a worker on its own task queue."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from devstack.parts import s3_client
from devstack.signals import stop_on_sigterm
from devstack.stack import EmbeddedStack, StackOptions
from temporal_app.worker import run_worker

FIXTURES = Path(__file__).parent / "fixtures"


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
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(stack.worker_settings(), stop=stop))
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
