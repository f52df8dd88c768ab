"""Secrets never leave their process: not in history, reports, logs, traces or error texts.

The secrets: both MCP tokens, the Claude key, the Meta tokens, the database password (the
stack's role must give it), the S3 secret key, the Langfuse secret key and the signed
webhooks' secrets.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import httpx2
import pytest
from mcp import Client as McpClient
from mcp.client.streamable_http import streamable_http_client
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from devstack.trace_receiver import OtlpReceiver

from .helpers import publish, query, start_run, upload_photo
from .test_tracing import traced_worker


async def mcp_error_texts(stack: EmbeddedStack, original: str) -> str:
    """What the servers answer to calls they refuse: a wrong token, the read token on a tool
    that changes state, an original photo to publish, a report that does not exist."""
    calls = [
        (stack.mcp_read_token, "feed-publisher", "readmit_photos", {"brand": "pomandi"}),
        (stack.mcp_token, "feed-publisher", "publish_facebook_photo",
         {"brand": "pomandi", "run_id": "leak", "media_key": original, "caption": "c",
          "alt_text": "a"}),
        (stack.mcp_token, "agent-outputs", "get_report", {"run_id": "leak"}),
        (stack.mcp_token, "agent-outputs", "save_publication_report", {"status": "nonsense"}),
    ]  # fmt: skip
    texts = []
    for token, server, tool, arguments in calls:
        headers = {"authorization": f"Bearer {token}"}
        async with (
            httpx2.AsyncClient(headers=headers) as http,
            McpClient(streamable_http_client(stack.mcp_urls[server], http_client=http)) as mcp,
        ):
            result = await mcp.call_tool(tool, arguments)
        assert result.is_error, tool
        texts += [getattr(block, "text", "") for block in result.content]
    async with httpx.AsyncClient() as http:
        wrong = await http.post(
            stack.mcp_urls["agent-outputs"],
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"authorization": f"Bearer {stack.mcp_token[:-1]}"},
        )
    return "\n".join([*texts, wrong.text])


async def test_no_secret_appears_in_history_report_logs_traces_or_errors_even_when_meta_refuses(
    stack: EmbeddedStack, client: Client, s3: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert stack.meta is not None
    original = upload_photo(stack, s3, "pomandi")
    langfuse_secret = f"sk-lf-{secrets.token_urlsafe(24)}"
    receiver = OtlpReceiver()
    # A refused token puts Meta's error text through the server, the worker and the history.
    stack.meta.set_fault(FaultRule(kind="token_expired", endpoint="facebook_photos", times=1))
    try:
        async with traced_worker(stack, receiver.url, secret_key=langfuse_secret) as queue:
            handle = await start_run(client, stack, "pomandi", task_queue=queue)
            report = await handle.result()
    finally:
        stack.meta.clear_faults()
        receiver.stop()
    assert report.facebook and report.facebook.error_type == "MetaTokenInvalid"

    history = (await handle.fetch_history()).to_json()
    stored = json.dumps(
        query(stack, "SELECT report FROM publication_reports WHERE run_id = %s", report.run_id)
    )
    logs = "\n".join(
        path.read_text(errors="replace") for path in (stack.workdir / "logs").glob("*.log")
    )
    traces = b"".join(receiver.raw).decode("latin-1")
    places = {
        "history": history,
        "report": stored,
        "server logs": logs,
        "worker logs": caplog.text,
        "traces": traces,
        "MCP error texts": await mcp_error_texts(stack, original),
    }
    # The places are the real ones, and the Langfuse key went where it belongs: the auth header.
    assert report.run_id in history and report.run_id in stored and report.run_id in traces
    sent = [base64.b64decode(auth.split()[1]).decode() for auth in receiver.authorizations]
    assert sent and all(auth.endswith(f":{langfuse_secret}") for auth in sent)
    found = [*stack.secrets(), langfuse_secret]
    expected = 10 + len(stack.meta_tokens) + len(stack.inbox.hook_secrets)
    assert len(found) == expected, (
        "tokens, keys, the database passwords, the console's keys, the webhooks' secrets"
    )
    for secret in found:
        assert len(secret) >= 16
        for place, text in places.items():
            assert secret not in text, f"a secret appears in the {place}"


@pytest.mark.usefixtures("worker")
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
