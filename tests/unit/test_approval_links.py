"""An approval link opens one run's approval page until that run's deadline, and nothing
else: not another run, not after the deadline, not once changed, not with another secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedpub.approval_links import LinkRefused, read_approval_link, sign_approval_link

SECRET = "a-link-secret-of-at-least-thirty-two-characters"
NOW = datetime(2026, 12, 3, 7, 12, tzinfo=UTC)
DEADLINE = (NOW + timedelta(hours=1)).isoformat()
RUN = ("atelier-2026-12-03T07:00:00Z", "0d9e-run")


def test_a_link_opens_its_run_until_the_deadline() -> None:
    token = sign_approval_link(SECRET, *RUN, DEADLINE)
    read_approval_link(SECRET, token, *RUN, NOW)
    read_approval_link(SECRET, token, *RUN, NOW + timedelta(minutes=59))


def test_a_link_is_refused_for_another_run_of_the_same_workflow_or_another_workflow() -> None:
    token = sign_approval_link(SECRET, *RUN, DEADLINE)
    for workflow_id, run_id in ((RUN[0], "another-run"), ("atelier-other", RUN[1])):
        with pytest.raises(LinkRefused, match="for another post"):
            read_approval_link(SECRET, token, workflow_id, run_id, NOW)


def test_a_link_is_refused_from_its_deadline_on() -> None:
    token = sign_approval_link(SECRET, *RUN, DEADLINE)
    with pytest.raises(LinkRefused, match="expired at 2026-12-03T08:12:00"):
        read_approval_link(SECRET, token, *RUN, NOW + timedelta(hours=1))


def flipped(token: str, at: int) -> str:
    """``token`` with its character at ``at`` replaced by another the alphabet allows."""
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        lambda token: flipped(token, len(token) - 1),  # the signature
        lambda token: flipped(token, 10),  # the payload
        lambda token: token[: len(token) // 2],  # cut short in a chat message
        lambda token: "",
    ],
    ids=["signature", "payload", "cut-short", "empty"],
)
def test_a_changed_link_is_refused(change: object) -> None:
    token = sign_approval_link(SECRET, *RUN, DEADLINE)
    assert callable(change)
    with pytest.raises(LinkRefused, match="not one feedpub made"):
        read_approval_link(SECRET, change(token), *RUN, NOW)


def test_a_link_signed_with_another_secret_is_refused() -> None:
    token = sign_approval_link("another-secret-of-at-least-thirty-two-chars", *RUN, DEADLINE)
    with pytest.raises(LinkRefused, match="not one feedpub made"):
        read_approval_link(SECRET, token, *RUN, NOW)


def test_a_deadline_without_its_offset_is_refused_when_signing() -> None:
    with pytest.raises(ValueError, match="no offset"):
        sign_approval_link(SECRET, *RUN, "2026-12-03T08:12:00")
