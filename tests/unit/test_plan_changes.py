"""What people may change in a planned run's plan before its slot, and the revisions it makes:
the rules the workflow's update validators and handlers follow, without Temporal."""

from __future__ import annotations

import pytest

from feedpub.contract.run import CaptionEdit, Captions, Progress
from temporal_app.workflows.plan import Plan


def ready_plan() -> tuple[Plan, Progress]:
    progress = Progress(captions=Captions(facebook="fb", instagram="ig", alt_text="alt"))
    plan = Plan(progress)
    plan.planned = True
    plan.made()
    return plan, progress


def test_an_approval_then_an_edit_make_two_revisions_and_the_plan_stays_approved() -> None:
    plan, progress = ready_plan()
    plan.approve()
    plan.approve()  # approving again changes nothing
    assert (progress.revision, progress.decision) == (1, "approved")
    plan.edit(CaptionEdit(facebook="new text"))
    assert (progress.revision, progress.decision) == (2, "edited")
    assert progress.captions is not None
    assert (progress.captions.facebook, progress.captions.instagram) == ("new text", "ig")


def test_another_photo_is_a_new_revision_that_nobody_decided_on() -> None:
    plan, progress = ready_plan()
    plan.approve()
    plan.ask_another_photo("too dark")
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
        plan.reject("wrong season")
    with pytest.raises(ValueError, match=refusal):
        plan.check_changeable()
