"""Each run asks Meta about the brand's token first: expired stops the run before a photo is
taken, expiring soon is a warning in the report, a brand alert and a message to the team, a
throttled answer is asked again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from feedpub.contract.notices import event_id_of
from tests.polling import poll

from .helpers import publish, publish_through_fault, query, run_to_the_end, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


def token_of(stack: EmbeddedStack, brand: str) -> str:
    return stack.meta_tokens[stack.brands[brand].meta_token_env]


async def test_a_token_expiring_within_a_week_is_a_warning_and_an_alert_not_a_failure(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    token = token_of(stack, "costume")
    upload_photo(stack, s3, "costume")
    stack.meta.set_token_expiry(token, stack.meta.state.now() + 3 * 86400)
    try:
        report = await publish(client, stack, "costume")
    finally:
        stack.meta.set_token_expiry(token, None)

    assert report.status == "published"
    assert len(report.warnings) == 1 and "expires on" in report.warnings[0]
    assert "(in 3.0 days)" in report.warnings[0] or "(in 2.9 days)" in report.warnings[0]
    alerts = query(stack, "SELECT message FROM brand_alerts WHERE brand = 'costume'")
    assert alerts == [(report.warnings[0],)]
    expiring = event_id_of("token_expiring", "costume", report.workflow_id)
    told = await poll(lambda: stack.inbox.received(event_id=expiring), "the team to be told")
    assert re.search(r"Meta token expires in [23] days$", told[0].subject), told[0].subject

    upload_photo(stack, s3, "costume")
    assert (await publish(client, stack, "costume")).warnings == []
    assert query(stack, "SELECT count(*) FROM brand_alerts WHERE brand = 'costume'") == [(0,)]


async def test_an_expired_token_stops_the_run_before_any_photo_is_taken(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    token = token_of(stack, "pomandi")
    upload_photo(stack, s3, "pomandi")
    stack.meta.set_token_expiry(token, stack.meta.state.now() - 60)
    before = stack.meta.request_counts()
    try:
        ended, report = await run_to_the_end(client, stack, "pomandi")
    finally:
        stack.meta.set_token_expiry(token, None)

    assert ended != "completed"
    assert report.status == "failed" and report.photo_key is None
    assert "Page access token of brand 'pomandi' is no longer valid" in (report.reason or "")
    after = stack.meta.request_counts()
    assert after["facebook_photos"] == before["facebook_photos"]
    assert after["instagram_media"] == before["instagram_media"]


async def test_a_throttled_token_check_is_asked_again_and_raises_no_alert(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    # Code 4 as Meta may send it: 403, and no is_transient flag to go by.
    throttled = FaultRule(
        kind="throttle", endpoint="debug_token", code=4, is_transient=None, times=1
    )

    report, token_checks = await publish_through_fault(client, stack, "pomandi", throttled)

    assert report.status == "published", report.reason
    assert token_checks == 2
    invalid = "SELECT count(*) FROM brand_alerts WHERE brand = 'pomandi' AND kind = %s"
    assert query(stack, invalid, "meta-token:invalid") == [(0,)]
