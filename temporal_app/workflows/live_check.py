"""Reading a run's posts back once Meta said they were published: each platform at once, and
a post Meta does not show yet looked for again on durable timers, for several minutes (its
listings can lag). What was found goes on the platform's result (``live``). Workflow code:
no I/O.

A post still missing at the end is told as a failure (``run_notices``), but its photo stays
marked used: the post may be there and lagging, and posting the photo again could double it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.after_publishing import LiveCheck
    from feedpub.contract.run import Captions, PlatformResult, PublishReport

    from ..activities import PublishActivities
    from ..models import VerifyPostInput
    from . import patches, policies
    from .steps import RunSteps, reason_of

__all__ = ["LOOK_AGAIN_AFTER", "missing_words", "next_look", "verify_published"]

LOOK_AGAIN_AFTER = (
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=4),
)
"""The waits before each new look for a post not found: 7.5 minutes in all."""


def next_look(looks_done: int, check: LiveCheck) -> timedelta | None:
    """How long to wait before looking again after ``looks_done`` looks whose last found
    ``check``; None when the check stands (found, or looked for long enough)."""
    if not check.missing or looks_done > len(LOOK_AGAIN_AFTER):
        return None
    return LOOK_AGAIN_AFTER[looks_done - 1]


def missing_words(platform: str) -> str:
    """What a report and a notice say of a post Meta said it published and does not show."""
    waited = sum(LOOK_AGAIN_AFTER, timedelta()).total_seconds() / 60
    return (
        f"{platform}: Meta said the post was published, but it could not be found for "
        f"{waited:g} minutes; the photo stays marked used so that it is never posted twice"
    )


async def verify_published(
    steps: RunSteps, report: PublishReport, captions: Captions, media_key: str
) -> None:
    """Read back every post of the run that Meta said it published, and note what was found
    on its result (and, for a post missing, in the report's warnings)."""
    sent = [
        (result, caption)
        for result, caption in ((report.facebook, captions.facebook),
                                (report.instagram, captions.instagram))
        if result is not None and result.status == "published" and result.post_id
    ]  # fmt: skip
    # Asked only when something was published: runs recorded before go on as they did.
    if not sent or not workflow.patched(patches.VERIFY_LIVE_POST):
        return
    await asyncio.gather(
        *(_verify(steps, report, result, caption, media_key) for result, caption in sent)
    )
    for result, _ in sent:
        if result.live is not None and result.live.missing:
            report.warnings.append(missing_words(result.platform))


async def _verify(
    steps: RunSteps, report: PublishReport, result: PlatformResult, caption: str, media_key: str
) -> None:
    assert result.post_id is not None
    request = VerifyPostInput(report.brand, result.platform, result.post_id, caption, media_key)
    looks = 0
    while True:
        looks += 1
        try:
            check = await steps.run(
                f"verify_{result.platform}", policies.VERIFY_POST,
                PublishActivities.verify_post, request, done_once=True,
            )  # fmt: skip
        except ActivityError as error:
            # The check only tells: a post it cannot read is said so, and the run goes on.
            reason, _ = reason_of(error)
            check = LiveCheck(verified=False, difference=f"not checked: {reason}", checked=False)
        result.live = check
        wait = next_look(looks, check)
        if wait is None:
            return
        await workflow.sleep(wait)
