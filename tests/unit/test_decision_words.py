"""A report says a decision in words: what, who, when in the brand's zone, and how the person
reached the run; what nobody said is left out, and an approval nobody gave says until when."""

from __future__ import annotations

import pytest

from feedpub.contract.run import DecidedBy, Progress
from temporal_app.workflows.decisions import check_decided_by, decision_words, nobody_decided


def test_a_decision_names_who_when_in_the_brands_zone_and_how() -> None:
    progress = Progress(
        decided_by="ana@example.com", decided_via="link", decided_at="2026-12-03T07:12:30+00:00"
    )
    assert decision_words("approved", progress, "Europe/Brussels") == (
        "approved by ana@example.com at 2026-12-03 08:12 CET (approval link)"
    )
    assert decision_words("rejected", progress, "UTC", "wrong season") == (
        "rejected by ana@example.com at 2026-12-03 07:12 UTC (approval link): wrong season"
    )


def test_a_decision_whose_caller_did_not_say_who_still_says_when() -> None:
    progress = Progress(decided_at="2026-07-03T07:12:00+00:00")
    assert decision_words("edited", progress, "Europe/Paris") == "edited at 2026-07-03 09:12 CEST"


def test_nobody_deciding_says_until_when() -> None:
    assert nobody_decided("2026-12-03T08:00:00+00:00", "Europe/London", "the slot") == (
        "nobody decided before the slot, 2026-12-03 08:00 GMT"
    )


def test_a_decision_by_nobody_named_or_by_an_unknown_way_is_refused() -> None:
    check_decided_by(None)
    check_decided_by(DecidedBy("ana@example.com", "login"))
    with pytest.raises(ValueError, match="who decided must be named"):
        check_decided_by(DecidedBy("  ", "link"))
    with pytest.raises(ValueError, match="not 'mail'"):
        check_decided_by(DecidedBy("ana@example.com", "mail"))  # type: ignore[arg-type]
