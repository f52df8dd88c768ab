"""The destinations' variables are checked at start-up: each problem one line naming the
variable and the brands told there, never the URL, which holds a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub.brands import load_brands
from feedpub.settings import SettingsError
from temporal_app.notifications import Destinations

BRANDS = load_brands(Path(__file__).parents[2] / "brands.toml")
HOOK_SECRET = "s3cr3t-0123456789abcdef"
GOOD = {
    "NOTIFY_TEAM_EMAIL": "mailtos://user:app-password-42@smtp.example.com?to=team@example.com",
    "NOTIFY_POMANDI_WEBHOOK": f"signedhooks://hooks.example.com/feedpub?secret={HOOK_SECRET}",
    "NOTIFY_COSTUME_WEBHOOK": "slack://T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx",
}


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        Destinations.from_env(BRANDS, env)
    return refused.value.problems


def test_the_shipped_brands_are_told_at_the_team_s_and_their_own_destinations() -> None:
    destinations = Destinations.from_env(BRANDS, GOOD)
    assert destinations.of("pomandi") == ["NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK"]
    assert destinations.of("costume") == ["NOTIFY_TEAM_EMAIL", "NOTIFY_COSTUME_WEBHOOK"]
    assert destinations.of("") == [
        "NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK", "NOTIFY_COSTUME_WEBHOOK",
    ]  # fmt: skip
    assert all(url not in repr(destinations) for url in GOOD.values())


def test_a_variable_that_is_not_set_is_one_line_naming_it_and_its_brands() -> None:
    found = problems({**GOOD, "NOTIFY_TEAM_EMAIL": ""})
    assert found == [
        "NOTIFY_TEAM_EMAIL is not set: brands pomandi, costume named it in notify_env "
        "(an apprise URL)"
    ]


def test_a_url_apprise_cannot_send_to_is_named_by_its_variable_never_shown() -> None:
    secret_url = "https//hooks.example.com/not-a-url/Secret-Path-4242"
    found = problems({**GOOD, "NOTIFY_COSTUME_WEBHOOK": secret_url})
    assert len(found) == 1 and found[0].startswith("NOTIFY_COSTUME_WEBHOOK is not a URL")
    assert "brand costume" in found[0] and "Secret-Path-4242" not in found[0]


@pytest.mark.parametrize("query", ["", "?secret=", "?secret=short"])
def test_a_signed_webhook_needs_a_secret_of_sixteen_characters(query: str) -> None:
    found = problems({**GOOD, "NOTIFY_POMANDI_WEBHOOK": f"signedhook://127.0.0.1:9/h{query}"})
    assert found == [
        "NOTIFY_POMANDI_WEBHOOK is a signed webhook without a secret of at least 16 characters "
        "in ?secret= (brand pomandi)"
    ]


def test_every_problem_is_told_at_once() -> None:
    found = problems({"NOTIFY_POMANDI_WEBHOOK": "nonsense://x"})
    assert [line.split(" ", 1)[0] for line in found] == [
        "NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK", "NOTIFY_COSTUME_WEBHOOK",
    ]  # fmt: skip
