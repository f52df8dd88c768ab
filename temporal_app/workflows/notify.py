"""``tell(notice)``: how any workflow (a run, the daily checks) tells a brand's team.

It starts a ``NotifyWorkflow`` as a child that outlives its parent and returns once it has
started: the caller never waits for the message, and nothing the notifier meets (a dead
destination, the agent-outputs server away) reaches the caller. Workflow code.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.notices import Notice

    from .notifier import NotifyWorkflow, notifier_id

__all__ = ["tell"]


async def tell(notice: Notice) -> bool:
    """Start the notifier of ``notice``; False when the event was told before (its notifier's
    id exists), and so is not told again."""
    try:
        notifier = await workflow.start_child_workflow(
            NotifyWorkflow.run,
            notice,
            id=notifier_id(notice.event_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            static_summary=f"{notice.kind} ({notice.brand or 'every brand'})",
        )
    except WorkflowAlreadyStartedError:
        return False
    # Nobody awaits the notifier's end: its outcome is read here so that a notifier that
    # fails is not logged by asyncio as an error nobody retrieved.
    notifier.add_done_callback(_read_outcome)
    return True


def _read_outcome(notifier: asyncio.Task[Any]) -> None:
    if not notifier.cancelled():
        notifier.exception()
