"""How the console says a brand's plan-ahead setting."""

from __future__ import annotations

import pytest

from feedpub_apps.console.app import duration_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(64800, "18 hours"), (3600, "1 hour"), (5400, "90 minutes"), (60, "1 minute")],
)
def test_a_plan_ahead_reads_in_hours_or_minutes(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words
