"""What people may change in a planned run's plan before its slot, and the revisions it makes:
the rules the workflow's update validators and handlers follow, without Temporal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedpub.contract.run import CaptionEdit, Captions, DecidedBy, Progress
from temporal_app.workflows.plan import Plan

NOW = datetime(2026, 12, 3, 7, 12, tzinfo=UTC)
ANA = DecidedBy("ana@example.com", "login")
BO = DecidedBy("bo@example.com", "link")


def ready_plan() -> tuple[Plan, Progress]:
    progress = Progress(captions=Captions(facebook="fb", instagram="ig", alt_text="alt"))
    plan = Plan(progress, now=lambda: NOW)
    plan.planned = True
    plan.made()
    return plan, progress


def test_an_approval_then_an_edit_make_two_revisions_and_the_plan_stays_approved() -> None:
    plan, progress = ready_plan()
    plan.approve(ANA)
    plan.approve(BO)  # approving again changes nothing, nor who approved
    assert (progress.revision, progress.decision) == (1, "approved")
    assert (progress.decided_by, progress.decided_via) == ("ana@example.com", "login")
    plan.edit(CaptionEdit(facebook="new text", by=BO))
    assert (progress.revision, progress.decision) == (2, "edited")
    assert (progress.decided_by, progress.decided_at) == ("bo@example.com", NOW.isoformat())
    assert progress.captions is not None
    assert (progress.captions.facebook, progress.captions.instagram) == ("new text", "ig")


def test_another_photo_is_a_new_revision_that_nobody_decided_on() -> None:
    plan, progress = ready_plan()
    plan.approve(ANA)
    plan.ask_another_photo("too dark", BO)
    with pytest.raises(ValueError, match="being prepared"):
        plan.check_changeable()
    plan.start_over()
    plan.made(again=True)
    assert (progress.revision, progress.decision, plan.another_photo) == (2, None, None)
    plan.check_changeable()


@pytest.mark.parametrize(
    ("state", "refusal"),
    [
        ("not planned", "publishes at once"),
        ("being made", "being prepared"),
        ("at the slot", "can no longer change"),
        ("rejected", "can no longer change"),
    ],
)
def test_changes_are_refused_outside_a_ready_plan_before_its_slot(state: str, refusal: str) -> None:
    plan, _ = ready_plan()
    if state == "not planned":
        plan.planned = False
    elif state == "being made":
        plan.start_over()
    elif state == "at the slot":
        plan.closed = True
    else:
        plan.reject("wrong season", None)
    with pytest.raises(ValueError, match=refusal):
        plan.check_changeable()
