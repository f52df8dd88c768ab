"""Giving back the photos of runs that no longer exist.

A run gives its photo back when it ends without posting it, but a run that is terminated
(from the Temporal UI, by an operator) runs no cleanup, and its photo would stay reserved,
never offered again. The sweeper asks Temporal's visibility about each run that has held a
photo for a while: a run that still runs keeps it; one that closed, or that Temporal does not
know, gives it back. Only photos held ``held_for_seconds`` or longer are looked at, because a
run that has just started may not be listed yet.
"""

from __future__ import annotations

import uuid

from temporalio.client import Client, WorkflowExecutionStatus

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.checks import FreedPhoto

from ..checks.models import HeldPhotosSweep
from ..mcp_client import McpConnection

__all__ = ["run_state", "sweep"]


async def sweep(
    feed: McpConnection, client: Client, brands: dict[str, Brand], held_for_seconds: float
) -> HeldPhotosSweep:
    """Give back the photos of the worker's ``brands`` whose runs no longer run."""
    listed = await feed.ask(tools.LIST_RESERVED_PHOTOS, held_for_seconds=held_for_seconds)
    held = [photo for photo in listed.photos if photo.brand in brands]
    states = {run_id: await run_state(client, run_id) for run_id in {p.run_id for p in held}}
    sweep = HeldPhotosSweep()
    for photo in held:
        state = states[photo.run_id]
        if state == "running":
            sweep.kept += 1
            continue
        answer = await feed.call(
            tools.RELEASE_PHOTO, {"brand": photo.brand, "key": photo.key, "run_id": photo.run_id}
        )
        # False: the run marked it used or gave it back meanwhile.
        if (answer.structured_content or {}).get("result"):
            sweep.freed.append(FreedPhoto(photo.brand, photo.key, photo.run_id, state))
    return sweep


async def run_state(client: Client, run_id: str) -> str:
    """``running``; how the run closed (``terminated``, ``completed``...); or ``unknown``."""
    try:
        if str(uuid.UUID(run_id)) != run_id.lower():
            return "unknown"
    except ValueError:
        return "unknown"  # Temporal's run ids are UUIDs: this one never named a run
    async for execution in client.list_workflows(f"RunId = '{run_id}'", limit=1):
        status = execution.status
        if status is None or status == WorkflowExecutionStatus.RUNNING:
            return "running"
        return status.name.lower()
    return "unknown"
