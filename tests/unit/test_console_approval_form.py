"""What an approval page's form asks of a run, who the decision names, and how the page says
where the run is: without a browser or Temporal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.datastructures import FormData

from feedpub.contract.run import Captions, Progress
from feedpub_apps.console.approval_access import Access
from feedpub_apps.console.approval_form import decision_from
from feedpub_apps.console.approval_view import run_view
from feedpub_apps.console.decisions import Kind, refusal
from feedpub_apps.console.waiting import RunState
from feedpub_apps.console.web import Person

CAPTIONS = Captions(facebook="Une veste.", instagram="Une veste.\n\n#atelier", alt_text="Veste")
ANA = Person("ana@example.com", {"atelier": "approver"})
VIEWER = Person("vic@example.com", {"atelier": "viewer"})


def waiting_run(**progress: object) -> RunState:
    found = Progress(step="awaiting_approval", brand="atelier", captions=CAPTIONS)
    for name, value in progress.items():
        setattr(found, name, value)
    return RunState("wf", "run", "atelier", True, found)


def asked(**fields: str) -> tuple[object, ...]:
    return decision_from(FormData(fields), waiting_run(), Access("atelier", ANA))


def test_save_and_approve_sends_only_the_caption_changed_and_unchanged_ones_approve() -> None:
    # Browsers send a textarea's line ends as CRLF: the same caption, not an edit.
    same = {"facebook": "Une veste.", "instagram": "Une veste.\r\n\r\n#atelier"}
    _kind, decision, _typed, problem = asked(decision="edit", **same)
    assert problem is None and decision.kind == "approve"  # type: ignore[attr-defined]

    _kind, decision, _typed, _ = asked(decision="edit", **{**same, "instagram": "Autre"})
    assert (decision.kind, decision.facebook, decision.instagram) == ("edit", None, "Autre")  # type: ignore[attr-defined]
    assert decision.by.person == "ana@example.com" and decision.by.via == "login"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"decision": "edit", "facebook": "  ", "instagram": "x"}, "facebook"),
        ({"decision": "reject", "reason": ""}, "reason"),
        ({"decision": "reject", "reason": "x" * 1001}, "reason"),
    ],
)
def test_an_emptied_caption_or_a_rejection_without_reason_is_refused_beside_its_field(
    fields: dict[str, str], field: str
) -> None:
    _kind, decision, typed, problem = asked(**fields)
    assert decision is None and problem.field == field  # type: ignore[attr-defined]
    assert typed == {k: v.strip() for k, v in fields.items() if k != "decision"}


def test_an_approval_link_approves_and_rejects_only_in_the_links_name() -> None:
    link = Access("atelier", None, "token")
    allowed: list[Kind] = ["approve", "edit", "reject", "another_photo"]
    assert [kind for kind in allowed if link.may(kind)] == ["approve", "reject"]
    assert (link.decided_by().person, link.decided_by().via) == ("approval link", "link")
    # A viewer who came through the link decides in their own name, still by the link.
    assert Access("atelier", VIEWER, "token").decided_by().person == "vic@example.com"
    assert not any(Access("atelier", VIEWER).may(kind) for kind in allowed)


def test_the_validators_words_go_beside_the_caption_they_are_about() -> None:
    refused = refusal("the Instagram caption is longer than 2200 characters")
    assert (refused.message, refused.field) == (
        "The Instagram caption is longer than 2200 characters.", "instagram",
    )  # fmt: skip
    assert refusal("this run is not waiting for approval").field is None


def test_a_planned_run_says_who_approved_it_and_its_slot_in_the_brands_zone() -> None:
    run = waiting_run(
        step="planned", slot="2026-12-03T08:00:00+00:00", decision="approved",
        decided_by="ana@example.com", decided_via="login", decided_at="2026-12-02T17:12:00+00:00",
    )  # fmt: skip
    view = run_view(run, "Europe/Paris", datetime(2026, 12, 2, 18, tzinfo=UTC))
    assert view.state == (
        "Approved by ana@example.com at Wed 2 Dec 2026, 18:12 CET (console); published at "
        "Thu 3 Dec 2026, 09:00 CET. Until then it can still change."
    )
    assert view.deadline is None
    # Its step still says it awaits approval until it goes on waiting for its slot.
    assert run.progress is not None and run.progress.step == "planned"
    run.progress.step = "awaiting_approval"
    assert not run.waiting and run.changeable
    waiting = run_view(
        waiting_run(awaiting_approval_until="2026-12-02T19:00:00+00:00"),
        "Europe/Paris", datetime(2026, 12, 2, 18, 15, tzinfo=UTC),
    )  # fmt: skip
    assert (waiting.deadline, waiting.time_left) == ("Wed 2 Dec 2026, 20:00 CET", "45 minutes left")
