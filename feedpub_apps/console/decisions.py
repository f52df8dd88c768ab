"""A person's decision on a waiting run, sent as the workflow's update, and what its refusal
means in words.

The workflow's validators decide what may be done (already decided, a caption too long, after
the slot); this module only says their answer to the person, next to the field it is about
when there is one. Who decided travels with the update (``DecidedBy``): the workflow stamps
the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import FailureError
from temporalio.service import RPCError, RPCStatusCode

from feedpub.contract.run import (
    ANOTHER_PHOTO,
    APPROVE,
    EDIT,
    REJECT,
    CaptionEdit,
    DecidedBy,
)

__all__ = ["DECIDED", "Decision", "DecisionRefused", "Kind", "refusal", "send_decision"]

Kind = Literal["approve", "edit", "reject", "another_photo"]
DECIDED: dict[Kind, str] = {
    "approve": "approved",
    "edit": "edited",
    "reject": "rejected",
    "another_photo": "another photo",
}
"""Each decision as the page and ``console.decisions`` say it was taken."""
DECISION_TIMEOUT = timedelta(seconds=30)
ANOTHER_PHOTO_TIMEOUT = timedelta(seconds=150)
"""Another photo answers once the new plan is in place: a photo looked at, captions written."""


@dataclass(frozen=True)
class Decision:
    kind: Kind
    by: DecidedBy
    facebook: str | None = None
    instagram: str | None = None
    """An edit: the captions the person changed (None: keep the written one)."""
    reason: str | None = None
    """A rejection's or another photo's reason."""


class DecisionRefused(Exception):
    """The run did not take the decision; ``field`` names the form field it is about (None:
    the whole form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


async def send_decision(client: Client, workflow_id: str, run_id: str, decision: Decision) -> str:
    """Send ``decision`` to the run; its answer (``approved``...) or ``DecisionRefused``."""
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    name, args, timeout = _update(decision)
    try:
        answer = await handle.execute_update(name, args=args, result_type=str, rpc_timeout=timeout)
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        raise refusal(cause.message if isinstance(cause, FailureError) else str(exc)) from None
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        raise DecisionRefused(
            f"The run did not answer within {int(timeout.total_seconds())} seconds (is a worker "
            "running?). It may still take the decision: reload this page in a moment."
        ) from None
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise DecisionRefused("This run has ended: nothing can be decided any more.") from None
        raise
    return str(answer)


def _update(decision: Decision) -> tuple[str, list[Any], timedelta]:
    by = decision.by
    if decision.kind == "approve":
        return APPROVE, [by], DECISION_TIMEOUT
    if decision.kind == "reject":
        return REJECT, [decision.reason or "", by], DECISION_TIMEOUT
    if decision.kind == "another_photo":
        return ANOTHER_PHOTO, [decision.reason or "", by], ANOTHER_PHOTO_TIMEOUT
    edit = CaptionEdit(facebook=decision.facebook, instagram=decision.instagram, by=by)
    return EDIT, [edit], DECISION_TIMEOUT


def refusal(message: str) -> DecisionRefused:
    """The validator's words, as a sentence, beside the caption they are about."""
    words = message.strip() or "the run refused this decision"
    sentence = words[0].upper() + words[1:] + ("" if words.endswith(".") else ".")
    lowered = words.lower()
    if "instagram caption" in lowered and "facebook" not in lowered:
        return DecisionRefused(sentence, "instagram")
    if "facebook caption" in lowered and "instagram" not in lowered:
        return DecisionRefused(sentence, "facebook")
    return DecisionRefused(sentence)
