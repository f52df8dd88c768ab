"""The approval gate: a run of a brand with ``approval = "required"`` waits here for a person.

The workflow's update handlers decide; the run waits on a durable timer for their decision.
Workflow code: no I/O, deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow

from feedpub.contract.run import CaptionEdit, Captions, Progress, PublishReport

from ..models import BrandPolicy
from .notify import tell
from .run_notices import approval_expired, approval_waiting

__all__ = ["ApprovalGate", "Decision", "edited_captions"]


@dataclass
class Decision:
    verdict: str
    """``approved``, ``edited`` or ``rejected``."""
    reason: str | None = None


class ApprovalGate:
    def __init__(self) -> None:
        self.open = False
        self.decision: Decision | None = None

    def check_open(self) -> None:
        """Raise unless the run is waiting for a decision (update validator)."""
        if not self.open or self.decision is not None:
            raise ValueError("this run is not waiting for approval")

    def approve(self) -> None:
        self.decision = Decision("approved")

    def reject(self, reason: str) -> None:
        self.decision = Decision("rejected", reason.strip() or "no reason given")

    def edit(self, captions: Captions, edit: CaptionEdit) -> Captions:
        """Captions with the person's changes; the run then publishes them."""
        self.decision = Decision("edited")
        return edited_captions(captions, edit)

    async def decided(
        self, report: PublishReport, policy: BrandPolicy, progress: Progress, *, told: bool
    ) -> bool:
        """Wait for a decision; False (and the report says why) if rejected or expired. The
        captions a person approved or edited become the report's. ``told``: the team is told
        that the run waits, and when the wait expires."""
        deadline = timedelta(seconds=policy.approval_deadline_seconds)
        progress.step = "awaiting_approval"
        progress.awaiting_approval_until = until = (workflow.now() + deadline).isoformat()
        self.open = True
        try:
            if told:
                await tell(approval_waiting(report, until))
            await workflow.wait_condition(lambda: self.decision is not None, timeout=deadline)
        except TimeoutError:
            report.status, report.approval = "expired", "expired"
            report.reason = f"no decision within {deadline}; nothing was published"
            if told:
                self.open = False  # a decision sent while the team is told comes too late
                await tell(approval_expired(report, until))
            return False
        finally:
            self.open = False
            progress.awaiting_approval_until = None
        decision = self.decision
        assert decision is not None
        if decision.verdict == "rejected":
            report.status, report.approval = "rejected", f"rejected: {decision.reason}"
            report.reason = f"rejected by a person: {decision.reason}"
            return False
        report.approval = decision.verdict
        report.captions = progress.captions
        return True


def edited_captions(captions: Captions, edit: CaptionEdit) -> Captions:
    """``captions`` with a person's changes (a field left empty keeps the written one)."""
    return Captions(
        facebook=(edit.facebook or captions.facebook).strip(),
        instagram=(edit.instagram or captions.instagram).strip(),
        alt_text=captions.alt_text,
        usage=captions.usage,
    )
