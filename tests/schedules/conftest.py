"""Each test deletes the schedules it made, so the session's Temporal stays tidy."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client
from temporalio.service import RPCError


@pytest.fixture
async def made(client: Client) -> AsyncIterator[list[str]]:
    """Append a schedule id to have it deleted after the test."""
    schedule_ids: list[str] = []
    yield schedule_ids
    for schedule_id in schedule_ids:
        with contextlib.suppress(RPCError):
            await client.get_schedule_handle(schedule_id).delete()


@pytest.fixture
def queue() -> str:
    """A task queue no worker polls: schedules made on it never start real posts."""
    return f"sched-tests-{uuid.uuid4().hex[:8]}"
