"""The plan of a planned run until its slot: its photo, captions and image, its revision, the
decision taken on it, and the changes people make to it (approve, edit, reject, another
photo). The workflow's update handlers call it; the run (``planned``) carries out what takes a
step. Workflow code: no I/O.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import CaptionEdit, DecidedBy, Progress

    from .approval import edited_captions
    from .decisions import Clock, record

__all__ = ["Plan"]


class Plan:
    """What the ``progress`` query shows of the plan lives in ``Progress`` (``revision``,
    ``decision``, ``captions``, ``photo_key``, ``media_key``); the rest is here."""

    def __init__(self, progress: Progress, now: Clock = workflow.now) -> None:
        self._progress = progress
        self._now = now
        self.planned = False
        """The run is planned: its updates change the plan, not an approval gate's wait."""
        self.ready = False
        """Photo, captions and image are in place: a person may change them."""
        self.closed = False
        """The slot came, or the run ends: nothing changes any more."""
        self.rejected: str | None = None
        """Why a person rejected the plan, once one did."""
        self.another_photo: str | None = None
        """Why a person asked for another photo, until the run has taken it."""

    @property
    def asked(self) -> bool:
        """Whether a person asked for something only the run can do (end, take another)."""
        return self.rejected is not None or self.another_photo is not None

    def check_changeable(self) -> None:
        """Raise unless people may change the plan now (update validator)."""
        if not self.planned:
            raise ValueError("this run publishes at once: it has no plan to change")
        if self.closed or self.rejected is not None:
            raise ValueError("the plan can no longer change: its slot has come or the run ended")
        if not self.ready or self.another_photo is not None:
            raise ValueError("the plan is being prepared; try again in a moment")

    def approve(self, by: DecidedBy | None) -> None:
        """Publish the plan at its slot; approving it again changes nothing (nor who did)."""
        if self._progress.decision is None:
            self._progress.decision = "approved"
            record(self._progress, by, self._now)
            self._new_revision()

    def edit(self, edit: CaptionEdit) -> None:
        """New captions, approved as they are now: an edit after an approval keeps it."""
        assert self._progress.captions is not None
        self._progress.captions = edited_captions(self._progress.captions, edit)
        self._progress.decision = "edited"
        record(self._progress, edit.by, self._now)
        self._new_revision()

    def reject(self, reason: str, by: DecidedBy | None) -> None:
        self.rejected = reason.strip() or "no reason given"
        record(self._progress, by, self._now)

    def ask_another_photo(self, reason: str, by: DecidedBy | None) -> None:
        self.another_photo = reason.strip() or "no reason given"
        record(self._progress, by, self._now)

    def start_over(self) -> None:
        """The plan's photo is being replaced: no decision stands, nothing can change yet."""
        self.ready = False
        self._progress.decision = None

    def made(self, *, again: bool = False) -> None:
        """A plan is in place: the first (revision 0), or ``again`` another after a change of
        photo (a new revision, which nobody decided on yet)."""
        if again:
            self._new_revision()
        self.ready = True
        self.another_photo = None

    def _new_revision(self) -> None:
        self._progress.revision += 1
