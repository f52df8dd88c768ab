"""The approval gate: a run of a brand with ``approval = "required"`` waits here for a person.

Plain state, driven by the workflow's update handlers; no I/O, deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import CaptionEdit, Captions

__all__ = ["ApprovalGate", "Decision"]


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
        return Captions(
            facebook=(edit.facebook or captions.facebook).strip(),
            instagram=(edit.instagram or captions.instagram).strip(),
            alt_text=captions.alt_text,
            usage=captions.usage,
        )
