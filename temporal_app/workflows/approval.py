"""The approval gate: a run of a brand with ``approval = "required"`` waits here for a person.

The workflow's update handlers decide; the run waits on a durable timer for their decision.
Workflow code: no I/O, deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow

from feedpub.contract.run import CaptionEdit, Captions, DecidedBy, Progress, PublishReport

from ..models import BrandPolicy
from .decisions import decision_words, nobody_decided, record
from .notify import tell
from .run_notices import approval_expired, approval_waiting

__all__ = ["ApprovalGate", "Decision", "edited_captions"]


@dataclass
class Decision:
    verdict: str
    """``approved``, ``edited`` or ``rejected``."""
    reason: str | None = None


class ApprovalGate:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self.open = False
        self.decision: Decision | None = None

    def check_open(self) -> None:
        """Raise unless the run is waiting for a decision (update validator)."""
        if not self.open or self.decision is not None:
            raise ValueError("this run is not waiting for approval")

    def approve(self, by: DecidedBy | None) -> None:
        self.decision = Decision("approved")
        record(self._progress, by, workflow.now)

    def reject(self, reason: str, by: DecidedBy | None) -> None:
        self.decision = Decision("rejected", reason.strip() or "no reason given")
        record(self._progress, by, workflow.now)

    def edit(self, edit: CaptionEdit) -> None:
        """The progress's captions get the person's changes; the run then publishes them."""
        assert self._progress.captions is not None
        self._progress.captions = edited_captions(self._progress.captions, edit)
        self.decision = Decision("edited")
        record(self._progress, edit.by, workflow.now)

    async def decided(self, report: PublishReport, policy: BrandPolicy, *, told: bool) -> bool:
        """Wait for a decision; False (and the report says why) if rejected or expired. The
        captions a person approved or edited become the report's. ``told``: the team is told
        that the run waits, and when the wait expires."""
        progress = self._progress
        deadline = timedelta(seconds=policy.approval_deadline_seconds)
        progress.step = "awaiting_approval"
        progress.awaiting_approval_until = until = (workflow.now() + deadline).isoformat()
        self.open = True
        try:
            if told:
                await tell(approval_waiting(report, until))
            await workflow.wait_condition(lambda: self.decision is not None, timeout=deadline)
        except TimeoutError:
            report.status = "expired"
            report.approval = f"expired: {nobody_decided(until, policy.time_zone)}"
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
        report.approval = decision_words(
            decision.verdict, progress, policy.time_zone, decision.reason
        )
        if decision.verdict == "rejected":
            report.status = "rejected"
            report.reason = f"rejected by a person: {decision.reason}"
            return False
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
