"""Secrets never leave their process: not in history, reports, logs or error messages."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from temporal_app.models import PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .helpers import query, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


async def test_no_token_or_key_appears_in_history_report_or_logs_even_when_meta_refuses_a_token(
    stack: EmbeddedStack, client: Client, s3: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert stack.meta is not None
    upload_photo(stack, s3, "pomandi")
    # A refused token puts Meta's error text through the server, the worker and the history.
    stack.meta.set_fault(FaultRule(kind="token_expired", endpoint="facebook_photos", times=1))
    handle = await client.start_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand="pomandi"),
        id=f"test-secrets-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )
    try:
        report = await handle.result()
    finally:
        stack.meta.clear_faults()
    assert report.facebook and report.facebook.error_type == "MetaTokenInvalid"

    history = (await handle.fetch_history()).to_json()
    stored = json.dumps(
        query(stack, "SELECT report FROM publication_reports WHERE run_id = %s", report.run_id)
    )
    logs = "\n".join(
        path.read_text(errors="replace") for path in (stack.workdir / "logs").glob("*.log")
    )
    places = {"history": history, "report": stored, "server logs": logs, "worker logs": caplog.text}
    assert report.run_id in history and report.run_id in stored  # the places are the real ones
    for secret in stack.secrets():
        assert len(secret) >= 16
        for place, text in places.items():
            assert secret not in text, f"a secret appears in the {place}"
