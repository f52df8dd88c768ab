"""``feedpub notify test`` refuses a bad destination setting in one line and exit code 2,
before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack.inbox import Inbox
from feedpub_apps.cli import build_parser

BRANDS_FILE = Path(__file__).parents[1] / "fixtures" / "brands.toml"


def notify_test(brand: str, brands_file: Path = BRANDS_FILE) -> int:
    args = build_parser().parse_args(["notify", "test", brand, "--brands", str(brands_file)])
    return int(args.handler(args))


def test_a_destination_not_set_is_one_line_and_exit_2(
    inbox: Inbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NOTIFY_POMANDI_WEBHOOK", inbox.hook_url("cli"))
    assert notify_test("pomandi") == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        "feedpub: NOTIFY_TEAM_EMAIL is not set: brand pomandi named it in notify_env "
        "(an apprise URL)\n",
    )
    assert not inbox.received(receiver="webhook")


def test_a_brand_told_nowhere_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fixture's brands without the file's top-level destinations.
    text = BRANDS_FILE.read_text().replace('notify_env = ["NOTIFY_TEAM_EMAIL"]', "")
    (quiet := tmp_path / "brands.toml").write_text(text)
    assert notify_test("emptyshop", quiet) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("feedpub: brand 'emptyshop' names no destination")
