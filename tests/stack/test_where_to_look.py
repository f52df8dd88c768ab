"""The end of ``make run``: report pages that outlive the stack, and the console and the
Temporal UI offered only while they are up."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from devstack.where_to_look import where_to_look, write_report_pages

from .helpers import publish, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
UI, CONSOLE = "http://127.0.0.1:8233", "http://127.0.0.1:8000"


async def test_make_run_leaves_the_pages_of_its_runs_and_no_link_to_a_stopped_ui(
    stack: EmbeddedStack, client: Client, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload_photo(stack, s3, "costume")
    report = await asyncio.wait_for(publish(client, stack, "costume"), 120)

    index = await write_report_pages(stack, [report.run_id])
    assert index.parent.is_relative_to(stack.workdir)
    page = (index.parent / "costume.html").read_text()
    assert f'src="images/{report.run_id}.jpg"' in page
    assert (index.parent / "images" / f"{report.run_id}.jpg").stat().st_size > 0
    assert "pomandi" not in index.read_text()  # other runs in the database are not this run's

    monkeypatch.setattr(stack, "temporal_ui_url", UI)
    after_stop = "\n".join(where_to_look(stack, index, stays_up=False, console=CONSOLE))
    assert str(index) in after_stop and str(stack.workdir / "logs") in after_stop
    assert UI not in after_stop
    assert f"the console at {CONSOLE} with it" in after_stop
    assert "make run ARGS=--keep-running" in after_stop and "make dev" in after_stop
    while_up = where_to_look(stack, index, stays_up=True, console=CONSOLE)
    assert f"{UI}/namespaces/default/workflows" in "\n".join(while_up)
    assert str(index) in "\n".join(while_up)
    assert f"   console        {CONSOLE}  (log in as admin@feedpub.local, password above)" in (
        while_up
    )
