"""``make run``: the embedded stack, one post per brand, one post planned ahead and published at
its slot a minute and a half later (``planned_demo``), the reports, then a clean stop.

``--keep-running`` keeps the stack (and the Temporal UI) up until Ctrl-C or kill. ``--traces`` sends
the runs' traces to a local stand-in for Langfuse (``devstack.trace_receiver``) and draws them
once the worker has stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.converter import value_to_type

from feedpub.contract.run import PublishReport, PublishRequest
from feedpub.contract.tools import GET_REPORT
from feedpub_apps.reports.view import follow, format_report
from temporal_app.mcp_client import McpConnection
from temporal_app.worker import run_worker
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .client_settings import published_client_settings, second_terminal
from .console import StackConsole
from .planned_demo import (
    AHEAD,
    planned_brand,
    show_plan,
    slot_line,
    start_planned,
    with_short_cutoff,
)
from .processes import ChildProcess
from .run_checks import check_brands, received_lines, wait_until_delivered
from .serve import preferred_port
from .signals import exit_code, run_until_stopped, stop_on_sigterm, stopping
from .stack import EmbeddedStack, StackOptions
from .trace_receiver import OtlpReceiver, draw_traces
from .trait_looks import show_trait_looks
from .where_to_look import where_to_look, write_report_pages


def say(message: str) -> None:
    print(message, flush=True)


async def publish_brand(client: Client, stack: EmbeddedStack, brand: str) -> PublishReport:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    handle = await client.start_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand=brand),
        id=f"{brand}-manual-{stamp}",
        task_queue=stack.options.task_queue,
    )
    await follow(brand, handle, say)
    report, _ = await outcome(stack, handle)
    return report


async def outcome(
    stack: EmbeddedStack, handle: WorkflowHandle[Any, PublishReport]
) -> tuple[PublishReport, WorkflowFailureError | None]:
    """How a run ended: its report, and its failure when it published nothing. Such a run
    fails, so its report is the one it saved."""
    try:
        return await handle.result(), None
    except WorkflowFailureError as failure:
        stored = await stored_report(stack, handle.result_run_id or "")
        return value_to_type(PublishReport, stored), failure


async def stored_report(stack: EmbeddedStack, run_id: str) -> dict:
    """The report as saved in PostgreSQL, read back through the agent-outputs MCP server."""
    url = stack.mcp_urls["agent-outputs"]
    outputs = McpConnection("agent-outputs", url, stack.mcp_read_token)
    try:
        row = await outputs.ask(GET_REPORT, run_id=run_id)
    finally:
        await outputs.close()
    return row.report


async def stop_console(opening: asyncio.Task[tuple[ChildProcess, list[str]]]) -> None:
    """Stop the console once it is up; a console that failed to start was told where it was
    awaited."""
    try:
        process, _ = await opening
    except Exception:
        return
    await asyncio.to_thread(process.stop)


def traced_settings(receiver: OtlpReceiver | None) -> dict[str, str]:
    """Langfuse settings pointing at the local receiver (its keys are not checked)."""
    if receiver is None:
        return {}
    return {
        "LANGFUSE_PUBLIC_KEY": "pk-lf-local",
        "LANGFUSE_SECRET_KEY": "sk-lf-local",
        "LANGFUSE_BASE_URL": receiver.url,
    }


async def main_async(
    stack: EmbeddedStack, keep_running: bool, receiver: OtlpReceiver | None = None
) -> int:
    stop = asyncio.Event()
    console = StackConsole.on_localhost() if stack.console_database_url else None
    links = console.worker_links(stack) if console else {}
    settings = stack.worker_settings(**traced_settings(receiver), **links)
    worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
    # The console starts while the first runs go, so that it costs make run no time.
    opening = asyncio.create_task(console.start(stack)) if console else None
    try:
        client = await Client.connect(stack.temporal_address)
        ahead = planned_brand(stack.brands)
        planned = await start_planned(client, stack, ahead) if ahead else None
        say("Publishing one post per brand:")
        reports = await asyncio.gather(*(publish_brand(client, stack, b) for b in stack.brands))
        say("")
        if opening:
            _, lines = await opening
            say("\n".join([*lines, ""]))
        for report in reports:
            saved = await stored_report(stack, report.run_id)
            say(format_report(report))
            say(f"   saved      report row in PostgreSQL ({saved['status']})")
            say("")
        if ahead and planned:
            say(f"Planning one post of {ahead} {AHEAD.seconds} s ahead (`feedpub plan`):")
            await show_plan(client, stack.brands[ahead], planned, say)
            say("")
        pages = await write_report_pages(stack, [report.run_id for report in reports])
        say("Checking each brand now: its Meta token, the photos it has left, its weekly digest")
        say("(the checks' Schedule does this at each brand's daily_check_time and digest time):")
        await wait_until_delivered(client, await check_brands(client, stack, say))
        say("")
        if ahead and planned:
            say(f"Waiting for the slot of {ahead}'s planned post:")
            report, _ = await outcome(stack, planned)
            say(format_report(report))
            say(slot_line(report, stack.brands[ahead].time_zone))
            say("")
            reports.append(report)
        say("What Claude says each unused photo shows, for the brands' learning (the checks")
        say("started each brand's trait look; the dev stack's sample photos carry no trait mark):")
        await show_trait_looks(client, stack, say)
        say("")
        told = [
            "What the team was told (what the stack's SMTP server and webhook receiver got):",
            *received_lines(stack.inbox.received()),
        ]
        url = console.url if console else None
        if keep_running:
            with published_client_settings(stack) as client_file:
                look = where_to_look(stack, pages, stays_up=True, console=url)
                say("\n".join([*told, "", *look]))
                say("\n".join(second_terminal(stack, client_file)))
                say(f"The stack stays up; Ctrl-C or kill {os.getpid()} stops it.")
                await asyncio.Event().wait()
        say("\n".join([*where_to_look(stack, pages, stays_up=False, console=url), "", *told]))
        return 0 if all(r.status == "published" for r in reports) else 1
    finally:
        if opening:
            await stop_console(opening)
        stop.set()
        await worker
        if receiver is not None:
            # The worker's stop has sent the last spans.
            say("Traces (one per run):")
            for drawing in draw_traces(receiver.spans):
                say(drawing)


def main() -> None:
    parser = argparse.ArgumentParser(prog="make run", description=__doc__)
    parser.add_argument("--keep-running", action="store_true", help="stay up until Ctrl-C or kill")
    parser.add_argument(
        "--traces", action="store_true", help="trace the runs into a local receiver and draw them"
    )
    parser.add_argument("--ui-port", type=int, default=8233, help="Temporal UI port (8233)")
    args = parser.parse_args()
    stop_on_sigterm()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    ui_port = preferred_port(args.ui_port)
    started = time.monotonic()
    say("Starting the embedded stack: Temporal, PostgreSQL, S3, emulators, MCP servers...")
    # Batches end in seconds here, so a planned run shows its captions written by a batch.
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-stack-"))
    # Every batch ends 5 s after it is made, and the planned brand cuts its batch a minute
    # before its slot: a post planned a minute and a half ahead still has batch captions.
    brands_file = with_short_cutoff(StackOptions.brands_file, workdir)
    options = StackOptions(
        brands_file, temporal_ui_port=ui_port, workdir=workdir, claude_batch_delay_seconds=5
    )
    stack = EmbeddedStack(options)
    receiver = OtlpReceiver() if args.traces else None
    code = 1
    try:
        stack.start()
        say(f"   ready in {time.monotonic() - started:.1f} s; logs in {stack.workdir / 'logs'}")
        code = run_until_stopped(main_async(stack, args.keep_running, receiver))
    except KeyboardInterrupt as interrupt:
        say("\nStopping.")
        code = exit_code(interrupt)
    finally:
        stopping()
        stack.stop()
        if receiver is not None:
            receiver.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
