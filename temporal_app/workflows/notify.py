"""``tell(notice)``: how any workflow (a run, the daily checks) tells a brand's team.

It starts a ``NotifyWorkflow`` as a child that outlives its parent and returns once it has
started: the caller never waits for the message, and nothing the notifier meets (a dead
destination, the agent-outputs server away) reaches the caller. Workflow code.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.notices import Notice

    from .children import start_unawaited
    from .notifier import NotifyWorkflow, notifier_id

__all__ = ["tell"]


async def tell(notice: Notice) -> bool:
    """Start the notifier of ``notice``; False when the event was told before (its notifier's
    id exists), and so is not told again."""
    return await start_unawaited(
        NotifyWorkflow.run,
        notice,
        id=notifier_id(notice.event_id),
        summary=f"{notice.kind} ({notice.brand or 'every brand'})",
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
