"""The commands of the design feedpub comes from keep working."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from devstack.stack import EmbeddedStack
from temporal_app.client import get_temporal_client

from .helpers import upload_photo

pytestmark = pytest.mark.usefixtures("worker")
TEMPORAL = Path(sys.executable).parent / "temporal"


async def temporal_cli(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        str(TEMPORAL), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, out.decode(errors="replace")


@pytest.mark.parametrize(
    ("brand", "cli_input"),
    [("pomandi", '"pomandi"'), ("costume", '{"brand": "costume"}')],
    ids=["bare-string", "input-model"],
)
async def test_temporal_cli_execute_runs_a_post(
    stack: EmbeddedStack, s3: Any, brand: str, cli_input: str
) -> None:
    upload_photo(stack, s3, brand)
    workflow_id = f"cli-{brand}-{uuid.uuid4().hex[:8]}"
    code, out = await temporal_cli(
        "workflow", "execute", "--address", stack.temporal_address,
        "--task-queue", stack.options.task_queue, "--type", "FeedPublisherWorkflow",
        "--workflow-id", workflow_id, "--input", cli_input, "--output", "json",
    )  # fmt: skip
    assert code == 0, out
    result = json.loads(out)["result"]
    assert result["brand"] == brand and result["status"] == "published"


async def test_get_temporal_client_reads_the_address_from_the_environment(
    stack: EmbeddedStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEMPORAL_ADDRESS", stack.temporal_address)
    client = await get_temporal_client()
    assert client.namespace == "default"
    assert await client.service_client.check_health()
