"""NotifyWorkflow: one notice, from its claim to the messages sent.

Whoever raises a notice (a run, the daily checks) starts one of these with ``tell()`` and does
not wait for it: its timeouts and retries are its own, so a destination that is slow or gone
never holds up a post. The agent-outputs server decides, once per event id, whether the notice
is sent now or folded into a follow-up; the notifier of the first repeat folded in a window
waits for the window's end on a durable timer and sends the follow-up with the count.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.notices import Notice

    from ..activities import NoticeActivities
    from ..models import NoticeWindowInput, NotifyOutcome, SendNoticeInput, SentNotice
    from . import policies
    from .steps import run_activity

__all__ = ["NOTIFY_WORKFLOW", "WINDOW_MARGIN", "NotifyWorkflow", "notifier_id"]

NOTIFY_WORKFLOW = "NotifyWorkflow"
WINDOW_MARGIN = timedelta(seconds=0.5)
"""Waited past a window's end before closing it: the agent-outputs server's clock, not
Temporal's, decides whether it has ended, and a window asked before its end is asked again
(``NoticeWindowOpen``) a second or more later."""


def notifier_id(event_id: str) -> str:
    """The notifier's workflow id: one notifier per event, ever."""
    return f"notify-{event_id}"


@workflow.defn(name=NOTIFY_WORKFLOW)
class NotifyWorkflow:
    @workflow.run
    async def run(self, notice: Notice) -> NotifyOutcome:
        claim = await run_activity(NoticeActivities.claim_notice, notice, policies.CLAIM_NOTICE)
        outcome = NotifyOutcome(
            event_id=notice.event_id,
            decision="sent" if claim.send else "folded" if claim.folded else "not told",
        )
        if claim.send:
            outcome.sent = await _send(
                SendNoticeInput(
                    notice, lost=claim.lost, cleared=claim.cleared, delivered=claim.delivered
                )
            )
        if claim.follow_up_at is None:
            return outcome
        wait = claim.follow_up_at - workflow.now() + WINDOW_MARGIN
        if wait > timedelta(0):
            await workflow.sleep(wait)
        window = await run_activity(
            NoticeActivities.close_notice_window,
            NoticeWindowInput(notice.brand, notice.condition, claim.follow_up_at),
            policies.CLOSE_NOTICE_WINDOW,
        )
        if window.send:
            outcome.follow_up = await _send(
                SendNoticeInput(notice, lost=window.lost, follow_up=window)
            )
        return outcome


async def _send(request: SendNoticeInput) -> SentNotice:
    return await run_activity(NoticeActivities.send_notice, request, policies.SEND_NOTICE)
