"""The messages a team reads: the brand's local time, captions as published, console links
only, what to do, and the event line last."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import pytest

from feedpub.approval_links import read_approval_link
from feedpub.brands import Brand, load_brands
from feedpub.contract.console import approval_path
from feedpub.contract.notices import (
    EVENT_LINE,
    FollowUp,
    LostNotice,
    Notice,
    NoticeKind,
    split_event_line,
)
from feedpub_apps.cli import build_parser
from temporal_app.notifications import render
from temporal_app.notifications.message import with_event_line

BRANDS = load_brands(Path(__file__).parents[2] / "brands.toml")
CONSOLE = "https://console.example"
LINK_SECRET = "a-link-secret-of-at-least-thirty-two-characters"
URL = re.compile(r"https?://\S+")
FACEBOOK_CAPTION = "  Een pak op maat 🤵\n\nVoor je grote dag.\n#pomandi #maatpak  "
INSTAGRAM_CAPTION = "Trouwpak? Kom langs 💍 " + "lang verhaal " * 40 + "\n#trouwpak"


def notice(kind: str, **fields: Any) -> Notice:
    values: dict[str, Any] = {
        "event_id": f"{kind}:pomandi:2026-03-03T08:00:00Z",
        "kind": kind,
        "brand": "pomandi",
        "occurred_at": "2026-03-03T07:30:00+00:00",
        "reason": "Meta refused the image: too small",
        "slot": "2026-03-03T08:00:00+00:00",
        "platform": "instagram",
        "workflow_id": "pomandi-manual-20260303T080000Z",
        "run_id": "0196-run",
        "facebook_caption": FACEBOOK_CAPTION,
        "instagram_caption": INSTAGRAM_CAPTION,
        "deadline": "2026-03-03T10:00:00+00:00",
        "days_left": 5.5,
        "photos_left": 9,
        "days_of_posts": 4.5,
        "lines": ["Mon 2 Mar 09:00: published"],
        "clears": ["publishing"],
    }
    return Notice(**{**values, **fields})


def brand(name: str = "pomandi") -> Brand:
    return BRANDS[name]


@pytest.mark.parametrize("kind", get_args(NoticeKind))
def test_every_kind_has_a_short_text_ending_in_its_event_line(kind: str) -> None:
    message = render(notice(kind), brand(), CONSOLE)
    assert message.title.startswith("feedpub pomandi: ")
    assert message.body.splitlines()[-1] == EVENT_LINE.format(event_id=notice(kind).event_id)
    assert (message.brand, message.kind) == ("pomandi", kind)


@pytest.mark.parametrize("kind", get_args(NoticeKind))
def test_links_go_to_the_console_only(kind: str) -> None:
    links = URL.findall(render(notice(kind), brand(), CONSOLE).body)
    assert links, "a message links to the console when it has an address"
    assert all(link.startswith(f"{CONSOLE}/") for link in links), links
    assert not URL.findall(render(notice(kind), brand(), None).body)


def test_the_slot_and_deadline_are_told_in_the_brand_s_own_zone() -> None:
    winter = render(notice("approval_waiting"), brand("pomandi"), CONSOLE).body
    assert "Tue 3 Mar 2026, 09:00 CET" in winter and "11:00 CET" in winter
    summer = notice("post_failed", slot="2026-07-01T08:00:00Z")
    assert "Wed 1 Jul 2026, 10:00 CEST" in render(summer, brand("costume"), CONSOLE).body


def test_an_approval_shows_both_captions_exactly_as_they_would_be_published() -> None:
    body = render(notice("approval_waiting"), brand(), CONSOLE).body
    assert f"Facebook caption:\n{FACEBOOK_CAPTION}\n" in body
    assert f"Instagram caption:\n{INSTAGRAM_CAPTION}\n" in body


def test_an_approval_link_is_signed_for_its_run_with_the_link_secret_and_plain_without() -> None:
    waiting = notice("approval_waiting")
    page = f"{CONSOLE}{approval_path(waiting.workflow_id or '', waiting.run_id or '')}"
    signed = render(waiting, brand(), CONSOLE, link_secret=LINK_SECRET).body
    [token] = re.findall(re.escape(page) + r"\?link=(\S+)$", signed, re.MULTILINE)
    read_approval_link(
        LINK_SECRET, token, waiting.workflow_id or "", waiting.run_id or "",
        datetime(2026, 3, 3, 9, 59, tzinfo=UTC),
    )  # fmt: skip
    assert f"Approve or reject: {page}\n" in render(waiting, brand(), CONSOLE).body
    assert not URL.findall(render(waiting, brand(), None, link_secret=LINK_SECRET).body)


def test_an_approval_links_its_page_and_gives_a_command_the_cli_takes() -> None:
    waiting = notice("approval_waiting")
    body = render(waiting, brand(), CONSOLE).body
    assert f"{CONSOLE}{approval_path(waiting.workflow_id or '', waiting.run_id or '')}" in body
    line = next(line for line in body.splitlines() if "feedpub approve" in line)
    words = shlex.split(line.split(": ", 1)[1])
    args = build_parser().parse_args(words[1:])
    assert (args.command, args.run_id) == ("approve", waiting.workflow_id)


def test_a_failed_post_says_where_when_why_and_links_the_run() -> None:
    body = render(notice("post_failed"), brand(), CONSOLE).body
    assert "Tue 3 Mar 2026, 09:00 CET did not go out on Instagram" in body
    assert "Why: Meta refused the image: too small" in body
    assert f"{CONSOLE}/runs/pomandi-manual-20260303T080000Z/0196-run" in body


@pytest.mark.parametrize("kind", ["token_expiring", "token_invalid"])
def test_a_token_message_says_which_variable_where_and_how_to_make_one_that_lasts(
    kind: str,
) -> None:
    body = render(notice(kind), brand(), CONSOLE).body
    assert "META_ACCESS_TOKEN_POMANDI" in body
    assert "feed-publisher server" in body and "restart it" in body
    assert "System users" in body and "'Never'" in body


def test_an_expiring_token_gives_the_days_left_and_the_day_it_ends() -> None:
    message = render(notice("token_expiring", days_left=5.5), brand(), CONSOLE)
    assert "expires in 5 days" in message.title
    assert "on Sun 8 Mar 2026, 20:30 CET" in message.body


def test_photos_running_low_gives_the_photos_and_the_days_of_posts_left() -> None:
    body = render(notice("photos_low", photos_left=9, days_of_posts=4.5), brand(), None).body
    assert "9 unused photos left: 4.5 days of posts at 2 a day" in body
    two = render(notice("photos_low", photos_left=2, days_of_posts=1.0), brand(), None).body
    assert "2 unused photos left: 1 day of posts at 2 a day" in two
    one = render(notice("photos_low", photos_left=1, days_of_posts=0.5), brand(), None).body
    assert "1 unused photo left: 0.5 days of posts at 2 a day" in one


def test_the_digest_lists_its_lines() -> None:
    lines = ["Mon 2 Mar 09:00: published", "Tue 3 Mar 18:00: failed (token)"]
    body = render(notice("weekly_digest", lines=lines, reason=None), brand(), None).body
    assert "\n".join(lines) in body


def test_back_to_normal_names_what_recovered() -> None:
    message = render(notice("back_to_normal"), brand(), None, cleared=["token_invalid"])
    assert "the Meta token works again" in message.body


def test_a_follow_up_counts_the_repeats_since_the_first_message() -> None:
    since = datetime(2026, 3, 3, 8, tzinfo=UTC)
    follow_up = FollowUp(True, "post_failed", 4, since, "follow-up:pomandi:publishing:x")
    message = render(notice("post_failed"), brand(), None, follow_up=follow_up)
    assert "4 more times" in message.title
    assert "since Tue 3 Mar 2026, 09:00 CET" in message.body
    assert message.body.splitlines()[-1] == "event follow-up:pomandi:publishing:x"


def test_a_message_tells_of_earlier_ones_that_were_not_delivered() -> None:
    lost = LostNotice(
        "e0", "post_failed", "NOTIFY_TEAM_EMAIL", "no answer within 20 s",
        datetime(2026, 3, 2, 17, tzinfo=UTC),
    )  # fmt: skip
    body = render(notice("token_invalid"), brand(), None, lost=[lost]).body
    assert "post failed (Mon 2 Mar 2026, 18:00 CET) to NOTIFY_TEAM_EMAIL: no answer" in body


def test_a_stack_wide_notice_is_told_in_utc() -> None:
    unreachable = notice("temporal_unreachable", brand="", reason="connection refused")
    message = render(unreachable, None, None)
    assert message.title == "feedpub: the watchdog cannot reach Temporal"
    assert "connection refused" in message.body


def test_the_event_line_is_read_from_the_last_line_only() -> None:
    assert split_event_line("Hello\nevent e1\n") == ("Hello", "e1")
    assert split_event_line("event e1") == ("", "e1")
    assert split_event_line("The word event here\nlast") == ("The word event here\nlast", None)
    assert with_event_line("Hello\nevent old", "new") == "Hello\nevent new"
