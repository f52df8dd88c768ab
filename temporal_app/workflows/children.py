"""Starting a child workflow that the parent neither waits for nor takes down with it: a
notifier, the reading of a post's figures, a brand's trait look. Workflow code.

The parent returns once the child has started; nothing the child meets reaches the parent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

__all__ = ["start_unawaited"]

A = TypeVar("A")


async def start_unawaited(
    run: Callable[[Any, A], Awaitable[Any]],
    arg: A,
    *,
    id: str,
    summary: str,
    id_reuse_policy: WorkflowIDReusePolicy = WorkflowIDReusePolicy.ALLOW_DUPLICATE,
) -> bool:
    """Start the child ``run(arg)`` as ``id``; False when a workflow of that id is under way
    (or, with ``REJECT_DUPLICATE``, ever was), which is then left alone."""
    try:
        child = await workflow.start_child_workflow(
            run,
            arg,
            id=id,
            parent_close_policy=ParentClosePolicy.ABANDON,
            id_reuse_policy=id_reuse_policy,
            static_summary=summary,
        )
    except WorkflowAlreadyStartedError:
        return False
    # Nobody awaits the child's end: its outcome is read so that a child that fails is not
    # logged by asyncio as an error nobody retrieved.
    child.add_done_callback(_read_outcome)
    return True


def _read_outcome(child: asyncio.Task[Any]) -> None:
    if not child.cancelled():
        child.exception()
