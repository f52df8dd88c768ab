"""What a brand's team is told is decided once, in PostgreSQL: the claim rules of the
agent-outputs server, through the real server over HTTP with the notify token.

Most tests use a brand the brands file does not name (the 6 h default window, and no other
test's notices); the one whose windows must pass uses ``repeatshop`` (tests/fixtures/brands.toml),
whose window is two seconds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from feedpub.contract.notices import FollowUp, Notice, NoticeClaim, NoticeKind, event_id_of
from feedpub.contract.tools import (
    CLAIM_NOTICE,
    CLOSE_NOTICE_WINDOW,
    LIST_NOTICES,
    RECORD_NOTICE_DELIVERY,
)
from temporal_app.mcp_client import McpConnection
from tests.polling import poll


@pytest.fixture(scope="module")
async def notifier(stack: EmbeddedStack) -> AsyncIterator[McpConnection]:
    connection = McpConnection(
        "agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_notify_token
    )
    yield connection
    await connection.close()


def fresh_brand() -> str:
    return f"quiet-{uuid.uuid4().hex[:8]}"


def notice(kind: NoticeKind, brand: str, **fields: object) -> Notice:
    """A new occurrence of ``kind``: an event id of its own."""
    return Notice(
        event_id=event_id_of(kind, brand, uuid.uuid4().hex[:8]),
        kind=kind,
        brand=brand,
        occurred_at=datetime.now(UTC).isoformat(),
        **fields,  # type: ignore[arg-type]
    )


async def claim(notifier: McpConnection, told: Notice) -> NoticeClaim:
    return await notifier.ask(CLAIM_NOTICE, notice=dataclasses.asdict(told))


async def close(
    notifier: McpConnection, brand: str, condition: str, follow_up_at: datetime | None = None
) -> FollowUp:
    due = {} if follow_up_at is None else {"follow_up_at": follow_up_at.isoformat()}
    return await notifier.ask(CLOSE_NOTICE_WINDOW, brand=brand, condition=condition, **due)


async def close_when_due(
    notifier: McpConnection, brand: str, condition: str, follow_up_at: datetime
) -> FollowUp | None:
    try:
        return await close(notifier, brand, condition, follow_up_at)
    except ApplicationError as early:
        assert early.type == "NoticeWindowOpen" and not early.non_retryable
        return None


async def record(
    notifier: McpConnection,
    told: Notice,
    destination: str,
    *,
    reason: str | None = None,
    told_lost: list[str] | None = None,
) -> int:
    """Record the delivery of ``told`` at ``destination``: delivered unless a reason is given."""
    arguments = {
        "event_id": told.event_id,
        "brand": told.brand,
        "destination": destination,
        "delivered": reason is None,
        "reason": reason,
        "told_lost": told_lost or [],
    }
    answer = await notifier.call(RECORD_NOTICE_DELIVERY, arguments)
    assert answer.structured_content is not None
    marked: int = answer.structured_content["result"]
    return marked


async def test_a_problem_is_told_at_once_and_its_repeats_in_one_follow_up_when_the_window_ends(
    notifier: McpConnection,
) -> None:
    failed = await claim(notifier, notice("post_failed", "repeatshop", reason="Meta said no"))
    low = await claim(notifier, notice("photos_low", "repeatshop", photos_left=3))
    first = await claim(notifier, notice("token_invalid", "repeatshop"))
    second = await claim(notifier, notice("token_invalid", "repeatshop"))
    third = await claim(notifier, notice("token_invalid", "repeatshop"))
    still_low = await claim(notifier, notice("photos_low", "repeatshop", photos_left=3))

    assert failed.send and low.send and first.send and first.repeat_of is None
    assert (second.send, second.folded) == (False, 1) and second.follow_up_at is not None
    assert (third.send, third.folded, third.follow_up_at) == (False, 2, None)
    assert (still_low.send, still_low.follow_up_at) == (False, None)

    due = second.follow_up_at
    follow_up = await poll(
        lambda: close_when_due(notifier, "repeatshop", "meta-token", due), "the window to end"
    )
    assert (follow_up.send, follow_up.kind, follow_up.count) == (True, "token_invalid", 2)
    assert follow_up.event_id == f"follow-up:repeatshop:meta-token:{due.isoformat()}"
    assert follow_up.since is not None and follow_up.since < due
    assert await close(notifier, "repeatshop", "meta-token", due) == follow_up
    assert not (await close(notifier, "repeatshop", "meta-token")).send

    # The failure's window, opened before the token's, has passed too: a reminder, and the
    # window starts again. Photos still low after the window are still no news.
    reminder = await claim(notifier, notice("post_failed", "repeatshop", reason="Meta said no"))
    folded = await claim(notifier, notice("post_failed", "repeatshop", reason="Meta said no"))
    low_later = await claim(notifier, notice("photos_low", "repeatshop", photos_left=2))
    assert reminder.send and reminder.repeat_of is not None
    assert datetime.fromisoformat(reminder.repeat_of) < due
    assert (folded.send, folded.folded) == (False, 1)
    assert (low_later.send, low_later.repeat_of, low_later.follow_up_at) == (False, None, None)


async def test_a_problem_that_changes_kind_is_news_and_its_window_is_not_closed_early(
    notifier: McpConnection,
) -> None:
    brand = fresh_brand()
    expiring = await claim(notifier, notice("token_expiring", brand, days_left=3.0))
    invalid = await claim(notifier, notice("token_invalid", brand))
    invalid_again = await claim(notifier, notice("token_invalid", brand))

    assert expiring.send and invalid.send and invalid.repeat_of is None
    assert (invalid_again.send, invalid_again.folded) == (False, 1)
    with pytest.raises(ApplicationError) as early:
        await close(notifier, brand, "meta-token", invalid_again.follow_up_at)
    assert early.value.type == "NoticeWindowOpen" and not early.value.non_retryable
    assert early.value.next_retry_delay is not None


async def test_back_to_normal_ends_the_problems_it_names_and_is_told_only_when_one_was_open(
    notifier: McpConnection,
) -> None:
    brand = fresh_brand()
    ends = ["publishing", "meta-token"]
    nothing_open = await claim(notifier, notice("back_to_normal", brand, clears=ends))
    failed = await claim(notifier, notice("post_failed", brand, reason="Meta said no"))
    recovered = await claim(notifier, notice("back_to_normal", brand, clears=ends))
    failed_again = await claim(notifier, notice("post_failed", brand, reason="Meta said no"))

    assert (nothing_open.send, nothing_open.cleared) == (False, [])
    assert failed.send
    assert (recovered.send, recovered.cleared) == (True, ["post_failed"])
    assert failed_again.send and failed_again.repeat_of is None  # a new problem, no repeat
    # Nothing told leaves nothing behind: every good run asks for a recovery.
    kept = (await notifier.ask(LIST_NOTICES, brand=brand)).notices
    assert [n.kind for n in kept] == ["post_failed", "back_to_normal", "post_failed"]


async def test_an_event_claimed_again_gets_the_same_answer_and_where_it_was_delivered(
    notifier: McpConnection,
) -> None:
    brand = fresh_brand()
    waiting = notice("approval_waiting", brand)
    failed, repeat = notice("post_failed", brand), notice("post_failed", brand)

    at_once = await asyncio.gather(*(claim(notifier, waiting) for _ in range(5)))
    await record(notifier, waiting, "NOTIFY_TEAM_EMAIL")
    again = await claim(notifier, waiting)
    await claim(notifier, failed)
    folds = [await claim(notifier, repeat) for _ in range(2)]

    assert at_once[0].send and all(answer == at_once[0] for answer in at_once)
    assert again == dataclasses.replace(at_once[0], delivered=["NOTIFY_TEAM_EMAIL"])
    assert folds[0] == folds[1] and folds[1].folded == 1


async def test_a_message_lost_at_a_destination_is_told_by_the_next_one_delivered_then_no_more(
    notifier: McpConnection,
) -> None:
    brand = fresh_brand()
    digest, waiting = notice("weekly_digest", brand), notice("approval_waiting", brand)
    await claim(notifier, digest)
    await record(notifier, digest, "NOTIFY_TEAM_EMAIL", reason="the SMTP server did not answer")
    await record(notifier, digest, "NOTIFY_SHOP_WEBHOOK")

    told = await claim(notifier, waiting)
    [lost] = told.lost
    assert (lost.event_id, lost.kind, lost.destination, lost.reason) == (
        digest.event_id,
        "weekly_digest",
        "NOTIFY_TEAM_EMAIL",
        "the SMTP server did not answer",
    )
    told_lost = [lost.event_id]
    assert (
        await record(notifier, waiting, "NOTIFY_TEAM_EMAIL", reason="down", told_lost=told_lost)
        == 0
    )
    assert await record(notifier, waiting, "NOTIFY_SHOP_WEBHOOK", told_lost=told_lost) == 1

    expired = notice("approval_expired", brand)
    after = await claim(notifier, expired)
    assert [(lost.event_id, lost.reason) for lost in after.lost] == [(waiting.event_id, "down")]

    listed = await notifier.ask(LIST_NOTICES, brand=brand)
    assert [record.event_id for record in listed.notices] == [
        expired.event_id,
        waiting.event_id,
        digest.event_id,
    ]
    assert listed.notices[1].delivered == ["NOTIFY_SHOP_WEBHOOK"]
    assert listed.notices[1].failed == {"NOTIFY_TEAM_EMAIL": "down"}
    assert [record.decision for record in listed.notices] == ["sent"] * 3


async def test_a_destination_is_recorded_by_its_variable_never_by_its_url(
    notifier: McpConnection,
) -> None:
    digest = notice("weekly_digest", fresh_brand())
    with pytest.raises(ApplicationError) as refused:
        await record(notifier, digest, "json://hooks.example/s3cr3t")
    assert refused.value.type == "NotADestinationName" and refused.value.non_retryable
    assert "s3cr3t" not in str(refused.value)


async def test_ten_notifiers_telling_of_a_new_problem_at_once_send_one_message(
    notifier: McpConnection,
) -> None:
    brand = fresh_brand()
    failures = [notice("post_failed", brand, reason="Meta is down") for _ in range(10)]

    claims = await asyncio.gather(*(claim(notifier, failure) for failure in failures))

    assert sum(answer.send for answer in claims) == 1
    assert sorted(answer.folded for answer in claims if not answer.send) == list(range(1, 10))
    assert sum(answer.follow_up_at is not None for answer in claims) == 1
