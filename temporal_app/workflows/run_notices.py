"""What a run tells the team, built from its report: at its end (failed, partial, back to
normal, a token expiring or no longer valid) and around its approval (waiting, expired).

Each notice's event id is made of its kind, the brand and the run's workflow id: the same for
every attempt of a workflow task, so a run tells each event once. Workflow code: no I/O.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.common import SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.notices import Notice, NoticeKind, event_id_of
    from feedpub.contract.run import PlatformResult, PublishReport

    from ..models import TokenCheck
    from .live_check import missing_words

__all__ = ["approval_expired", "approval_waiting", "end_of_run"]

SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
"""Set by Temporal on runs a Schedule starts: the slot the run is for."""
TOKEN_REFUSED = "MetaTokenInvalid"


def end_of_run(
    report: PublishReport, token: TokenCheck | None, failure: str | None
) -> list[Notice]:
    """The notices of a finished run: how it ended, and the token's state when it warned.
    ``failure`` is the error type that stopped the run, if one did."""
    notices = [*_outcome(report, token, failure)]
    if token is not None and token.valid and token.problem:
        notices.append(
            _notice("token_expiring", report, reason=token.problem, days_left=token.days_left)
        )
    return notices


def _outcome(report: PublishReport, token: TokenCheck | None, failure: str | None) -> list[Notice]:
    platforms = [result for result in (report.facebook, report.instagram) if result is not None]
    missing = [result for result in platforms if result.live is not None and result.live.missing]
    if missing and report.status in ("published", "partial"):
        return [_missing_post(report, platforms, missing)]
    if report.status == "published":
        clears = ["publishing"]
        if token is not None and token.valid and not token.problem:
            clears.append("meta-token")
        return [_notice("back_to_normal", report, clears=clears)]
    if report.status == "partial":
        failed = [result for result in platforms if result.status != "published"]
        return [
            _notice(
                "post_partial",
                report,
                platform=failed[0].platform if failed else None,
                reason=failed[0].reason if failed else report.reason,
            )
        ]
    if report.status != "failed":
        return []  # rejected by a person, or an approval that expired (told at its deadline)
    refused = [result for result in platforms if result.error_type == TOKEN_REFUSED]
    if failure == TOKEN_REFUSED or (platforms and len(refused) == len(platforms)):
        return [_notice("token_invalid", report, reason=report.reason)]
    return [
        _notice(
            "post_failed",
            report,
            reason=report.reason,
            platform="both" if len(platforms) == 2 else None,
        )
    ]


def _missing_post(
    report: PublishReport, platforms: list[PlatformResult], missing: list[PlatformResult]
) -> Notice:
    """A post Meta said it published and does not show is told as a failed one: the same
    notice, the same alert."""
    gone = [result for result in platforms if result.status != "published" or result in missing]
    live = [result for result in platforms if result not in gone]
    reason = "; ".join(
        missing_words(result.platform) if result in missing else result.reason or result.status
        for result in gone
    )
    if live:
        return _notice("post_partial", report, platform=gone[0].platform, reason=reason)
    return _notice(
        "post_failed",
        report,
        reason=reason,
        platform="both" if len(gone) == 2 else gone[0].platform,
    )


def approval_waiting(report: PublishReport, deadline: str, revision: int = 0) -> Notice:
    """The run waits for a person: the captions as they would be published, and until when.
    A planned run whose photo changed waits again, for the plan's ``revision``: an event of
    its own."""
    captions = report.captions
    return _notice(
        "approval_waiting",
        report,
        *([f"revision-{revision}"] if revision else []),
        deadline=deadline,
        facebook_caption=captions.facebook if captions else None,
        instagram_caption=captions.instagram if captions else None,
    )


def approval_expired(report: PublishReport, deadline: str) -> Notice:
    """Nobody decided in time: the slot posted nothing."""
    return _notice("approval_expired", report, deadline=deadline, reason=report.reason)


def _notice(kind: NoticeKind, report: PublishReport, *event: str, **fields: object) -> Notice:
    return Notice(
        event_id=event_id_of(kind, report.brand, report.workflow_id, *event),
        kind=kind,
        brand=report.brand,
        occurred_at=workflow.now().isoformat(),
        slot=_slot(report),
        workflow_id=report.workflow_id,
        run_id=report.run_id,
        **fields,  # type: ignore[arg-type]
    )


def _slot(report: PublishReport) -> str:
    """The slot the run is for: a planned run's, else its Schedule's time, else when it
    started."""
    if report.slot:
        return report.slot
    scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_AT)
    return scheduled.isoformat() if scheduled is not None else report.started_at
