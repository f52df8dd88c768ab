"""``feedpub run`` (a post now) and ``pending`` (runs waiting for a decision, which
``decisions`` takes).

Runs are started, asked and decided by the names in the contract: the workflow module, and the
Claude and MCP clients it pulls in, stay out of this process."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from temporalio.client import Client, WorkflowFailureError
from temporalio.service import RPCError

from feedpub.contract.run import (
    PROGRESS,
    WORKFLOW_NAME,
    Progress,
)

from ..reports.view import follow, format_report
from ..start_post import start_post
from .common import brand_named, connect, load, run_command, task_queue


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="start one post of a brand now")
    run.add_argument("brand")
    run.add_argument("--dry-run", action="store_true", help="every step but publishing")
    run.add_argument("--wait", action="store_true", help="show progress and the report")
    run.add_argument("--brands", help="brands file (default BRANDS_FILE or brands.toml)")
    run.set_defaults(handler=lambda args: run_command(lambda: start_run(args)))
    pending = commands.add_parser("pending", help="runs waiting for approval")
    pending.set_defaults(handler=lambda args: run_command(list_pending))


async def start_run(args: argparse.Namespace) -> int:
    brand = brand_named(args.brand, load(args))
    client = await connect()
    handle = await start_post(client, brand, dry_run=args.dry_run, task_queue=task_queue())
    print(f"started {handle.id}")
    if not args.wait:
        print(f"follow it with: temporal workflow describe --workflow-id {handle.id}")
        return 0
    await follow(brand.name, handle, print)
    try:
        report = await handle.result()
    except WorkflowFailureError as failure:
        print(f"{handle.id} failed: {failure.cause}")
        return 1
    print(format_report(report))
    return 0 if report.status in ("published", "dry_run") else 1


async def pending_runs(client: Client) -> list[tuple[str, Progress]]:
    """Running FeedPublisherWorkflow runs that wait for a decision, with their progress."""
    found = []
    query = f'WorkflowType = "{WORKFLOW_NAME}" AND ExecutionStatus = "Running"'
    async for execution in client.list_workflows(query):
        handle = client.get_workflow_handle(execution.id)
        try:
            progress = await handle.query(PROGRESS, result_type=Progress)
        except RPCError:
            continue  # closed since it was listed
        if progress.awaits_decision:
            found.append((execution.id, progress))
    return found


async def list_pending() -> int:
    waiting = await pending_runs(await connect())
    if not waiting:
        print("no run is waiting for approval")
    for run_id, progress in waiting:
        captions = progress.captions
        print(f"{run_id}  brand {progress.brand}  photo {progress.photo_key}")
        print(f"   decide before {progress.awaiting_approval_until}")
        if captions:
            print("   facebook:  " + textwrap.shorten(captions.facebook, 200))
            print("   instagram: " + textwrap.shorten(captions.instagram, 200))
        print(f"   feedpub approve {run_id}  |  feedpub reject {run_id} --reason ...")
    return 0
