"""An MCP server that goes away mid-run: the run waits, retries, and completes once it is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from tests.polling import poll

from .helpers import media_sha256, posts_of_image, query, start_run, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


@pytest.mark.parametrize(
    ("server", "step"),
    [("feed-publisher", "check_meta_token"), ("agent-outputs", "save_report")],
)
async def test_a_run_rides_out_an_mcp_server_restart_without_losing_or_doubling(
    stack: EmbeddedStack, client: Client, s3: Any, server: str, step: str
) -> None:
    upload_photo(stack, s3, "pomandi")
    stack.stop_mcp_server(server)
    try:
        handle = await start_run_failing_at(stack, client, step)
    finally:
        stack.start_mcp_server(server)

    report = await handle.result()
    assert report.status == "published"
    assert report.media_key is not None
    assert posts_of_image(stack, "pomandi", media_sha256(stack, s3, report.media_key)) == (1, 1)
    saved = query(
        stack, "SELECT count(*) FROM publication_reports WHERE run_id = %s", report.run_id
    )
    assert saved == [(1,)]


async def start_run_failing_at(stack: EmbeddedStack, client: Client, step: str) -> Any:
    """A pomandi run, once ``step`` has failed against the missing backend at least once."""
    with failed_attempts() as failed:
        handle = await start_run(client, stack, "pomandi")
        await poll(lambda: step in failed, f"{step} failing without its backend", timeout=60)
    return handle


@contextmanager
def failed_attempts() -> Iterator[list[str]]:
    """The steps whose attempts failed meanwhile, as the (in-process) worker logs them: local
    activities retry inside the worker, out of sight of the Temporal server."""
    failed: list[str] = []

    class Failures(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            details = getattr(record, "temporal_activity", None)
            if details and record.getMessage().startswith("Completing activity as failed"):
                failed.append(details["activity_type"])

    handler = Failures(logging.WARNING)
    logger = logging.getLogger("temporalio.activity")
    logger.addHandler(handler)
    try:
        yield failed
    finally:
        logger.removeHandler(handler)


async def test_a_run_rides_out_a_postgresql_outage(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    stack.stop_postgres()
    try:
        handle = await start_run_failing_at(stack, client, "check_meta_token")
    finally:
        stack.start_postgres()

    report = await handle.result()
    assert report.status == "published" and report.media_key is not None
    assert posts_of_image(stack, "pomandi", media_sha256(stack, s3, report.media_key)) == (1, 1)
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [("used",)]
