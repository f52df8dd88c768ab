"""PostInsightsWorkflow: a post's figures a day and a week after it went out.

A run that published starts one (``measure_later``) as a child it neither waits for nor takes
down with it. It sleeps on durable timers until each age of ``INSIGHTS_AGES`` (no cron, no
polling), then, per platform the post went out on, reads the figures (feed-publisher: one
metric per call) and keeps them beside the run's report (agent-outputs). A token without the
insights permission gives no figure: the feed-publisher raises the brand's alert, and the team
is told once while it lasts (``insights_permission``); a later age read in full tells that it
is back to normal. A read that fails after its retries is kept as a note: the next age is
still read. Workflow code: no I/O.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.after_publishing import (
        INSIGHTS_AGES,
        INSIGHTS_WORKFLOW_NAME,
        InsightsAge,
        PostFigures,
        insights_workflow_id,
    )
    from feedpub.contract.notices import Notice, NoticeKind, event_id_of
    from feedpub.contract.run import PublishReport

    from ..activities import InsightsActivities
    from ..models import (
        PostInsightsInput,
        PostInsightsOutcome,
        PublishedPost,
        ReadInsightsInput,
        SaveInsightsInput,
    )
    from . import patches, policies
    from .children import start_unawaited
    from .notify import tell
    from .steps import reason_of, run_activity

__all__ = ["PostInsightsWorkflow", "measure_later"]


@workflow.defn(name=INSIGHTS_WORKFLOW_NAME)
class PostInsightsWorkflow:
    @workflow.run
    async def run(self, post: PostInsightsInput) -> PostInsightsOutcome:
        outcome = PostInsightsOutcome()
        published = datetime.fromisoformat(post.published_at)
        for age, seconds in INSIGHTS_AGES:
            wait = published + timedelta(seconds=seconds) - workflow.now()
            if wait > timedelta(0):
                await workflow.sleep(wait, summary=f"until the post's {age} figures")
            read = await asyncio.gather(*(_figures(post, one, age) for one in post.posts))
            outcome.figures += read
            await _tell(post, age, read)
        return outcome


async def _figures(post: PostInsightsInput, one: PublishedPost, age: InsightsAge) -> PostFigures:
    """One platform's figures at ``age``, kept; a read that failed is kept as its note."""
    try:
        figures = await run_activity(
            InsightsActivities.read_post_insights,
            ReadInsightsInput(post.brand, one.platform, one.post_id, age),
            policies.READ_POST_INSIGHTS,
        )
    except ActivityError as error:
        reason, _ = reason_of(error)
        figures = PostFigures(
            platform=one.platform, post_id=one.post_id, age=age,
            notes=[f"the figures could not be read: {reason}"],
            read_at=workflow.now().isoformat(),
        )  # fmt: skip
    return await run_activity(
        InsightsActivities.save_post_insights,
        SaveInsightsInput(post.run_id, post.brand, post.photo_key, figures),
        policies.SAVE_POST_INSIGHTS,
    )


async def _tell(post: PostInsightsInput, age: str, read: list[PostFigures]) -> None:
    """A missing permission is told (once per platform and post; the notice ledger tells the
    first of a brand's while the condition lasts); an age read in full ends the condition."""
    missing = [figures for figures in read if figures.permission_missing]
    for figures in missing:
        await tell(
            _notice(
                "insights_permission", post, figures.platform,
                platform=figures.platform,
                reason=f"Meta does not let feedpub read the {figures.platform} posts' figures: "
                f"the brand's token lacks the {figures.permission_missing} permission",
            )
        )  # fmt: skip
    if all(figures.figures for figures in read):
        await tell(_notice("back_to_normal", post, f"insights-{age}", clears=["meta-insights"]))


def _notice(kind: NoticeKind, post: PostInsightsInput, event: str, **fields: Any) -> Notice:
    return Notice(
        event_id=event_id_of(kind, post.brand, post.workflow_id, event),
        kind=kind,
        brand=post.brand,
        occurred_at=workflow.now().isoformat(),
        slot=post.published_at,
        workflow_id=post.workflow_id,
        run_id=post.run_id,
        **fields,
    )


async def measure_later(report: PublishReport) -> None:
    """Start the workflow that reads the figures of the run's post, when something was
    published and it is not a dry run; return once it has started."""
    posts = [
        PublishedPost(result.platform, result.post_id)
        for result in (report.facebook, report.instagram)
        if result is not None and result.status == "published" and result.post_id
    ]
    if report.dry_run or not posts or not workflow.patched(patches.POST_INSIGHTS):
        return
    published_at = report.published_at or report.finished_at or workflow.now().isoformat()
    request = PostInsightsInput(
        report.run_id, report.workflow_id, report.brand, report.photo_key, published_at, posts
    )
    await start_unawaited(
        PostInsightsWorkflow.run,
        request,
        id=insights_workflow_id(report.run_id),
        summary=f"figures of {report.brand}'s post at +24 h and +7 d",
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
