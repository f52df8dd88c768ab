"""Secrets never leave their process: not in history, reports, logs or error messages."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qsl, unquote

import pytest
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from temporal_app.models import PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .helpers import publish, query, upload_photo

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


async def test_no_graph_request_carries_a_meta_token_in_its_url(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "costume")
    report = await publish(client, stack, "costume")
    assert report.status == "published"

    sent = stack.meta.requests()
    brand = stack.brands["costume"]
    paths = {request.path for request in sent}
    # The run's own requests are among them: the token check, both platforms' posts.
    assert {"/v26.0/debug_token", f"/v26.0/{brand.facebook_page_id}/feed"} <= paths
    assert f"/v26.0/{brand.instagram_user_id}/media_publish" in paths
    tokens = list(stack.meta_tokens.values())
    for request in sent:
        names = [name for name, _ in parse_qsl(request.query, keep_blank_values=True)]
        assert "access_token" not in names, f"{request.method} {request.path}"
        if request.path.endswith("/debug_token"):
            continue  # the token to inspect is its input_token: that is how Meta asks for it
        url = unquote(request.query)
        assert not any(token in url for token in tokens), f"{request.method} {request.path}"
