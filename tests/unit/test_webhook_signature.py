"""A signed webhook message is trusted only with the right secret, the same bytes, and a
recent time."""

from __future__ import annotations

import json

import pytest

from feedpub.webhook_signature import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureRefused,
    sign,
    verify,
)

SECRET = "pomandi-hook-secret-0123456789"
BODY = json.dumps({"event_id": "post_failed:pomandi:1", "title": "post failed"}).encode()
NOW = 1_780_000_000.0


def test_a_message_signed_with_the_secret_verifies_and_names_its_event() -> None:
    headers = sign(SECRET, "post_failed:pomandi:1", BODY, now=NOW)
    assert verify(SECRET, headers, BODY, now=NOW + 10) == "post_failed:pomandi:1"


def test_header_names_are_read_in_any_case() -> None:
    headers = {name.lower(): value for name, value in sign(SECRET, "e1", BODY, now=NOW).items()}
    assert verify(SECRET, headers, BODY, now=NOW) == "e1"


def test_a_changed_body_is_refused() -> None:
    headers = sign(SECRET, "e1", BODY, now=NOW)
    with pytest.raises(SignatureRefused, match="does not match"):
        verify(SECRET, headers, BODY.replace(b"failed", b"worked"), now=NOW)


def test_another_event_id_under_the_same_signature_is_refused() -> None:
    headers = {**sign(SECRET, "e1", BODY, now=NOW), EVENT_HEADER: "e2"}
    with pytest.raises(SignatureRefused, match="does not match"):
        verify(SECRET, headers, BODY, now=NOW)


def test_a_wrong_secret_is_refused() -> None:
    headers = sign("costume-hook-secret-0123456789", "e1", BODY, now=NOW)
    with pytest.raises(SignatureRefused, match="does not match"):
        verify(SECRET, headers, BODY, now=NOW)


def test_a_message_older_than_the_tolerance_is_refused_as_a_replay() -> None:
    headers = sign(SECRET, "e1", BODY, now=NOW)
    verify(SECRET, headers, BODY, now=NOW + 299)
    with pytest.raises(SignatureRefused, match="301 s ago"):
        verify(SECRET, headers, BODY, now=NOW + 301)
    with pytest.raises(SignatureRefused, match="ahead"):
        verify(SECRET, headers, BODY, now=NOW - 400)


def test_a_secret_being_replaced_accepts_the_old_and_the_new() -> None:
    headers = sign(SECRET, "e1", BODY, now=NOW)
    assert verify(["the-new-secret-0123456789", SECRET], headers, BODY, now=NOW) == "e1"


@pytest.mark.parametrize("header", [TIMESTAMP_HEADER, EVENT_HEADER, SIGNATURE_HEADER])
def test_a_missing_header_is_named(header: str) -> None:
    headers = sign(SECRET, "e1", BODY, now=NOW)
    del headers[header]
    with pytest.raises(SignatureRefused, match=f"missing header {header}"):
        verify(SECRET, headers, BODY, now=NOW)


def test_a_refusal_never_shows_the_secret_or_the_expected_signature() -> None:
    headers = sign(SECRET, "e1", BODY, now=NOW)
    with pytest.raises(SignatureRefused) as refused:
        verify(SECRET, {**headers, SIGNATURE_HEADER: "sha256=00"}, BODY, now=NOW)
    assert SECRET not in str(refused.value)
    assert headers[SIGNATURE_HEADER] not in str(refused.value)
