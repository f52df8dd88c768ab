"""What is said of a run: a post that failed or went out on one platform only, an approval
that waits or expired, its post's figures that Meta will not give, a recovery, and the test
message."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feedpub.approval_links import sign_approval_link
from feedpub.contract.console import approval_path
from feedpub.contract.notices import CONDITION_OF

from .message import About, Said

__all__ = ["RUN_TEXTS", "recovered"]

PLATFORMS = {"facebook": "Facebook", "instagram": "Instagram", "both": "Facebook and Instagram"}
RECOVERED = {
    "publishing": "posts go out again",
    "meta-token": "the Meta token works again",
    "photos": "there are unused photos again",
    "posting": "the brand posts again",
    "schedule-paused": "the schedule runs again",
    "temporal": "Temporal answers again",
    "meta-insights": "the posts' figures can be read again",
}
"""What a recovery says of each condition it ends."""


def recovered(cleared: Sequence[str]) -> list[str]:
    """The words for what recovered; ``cleared`` holds kinds or conditions."""
    conditions = dict.fromkeys(CONDITION_OF.get(item, item) for item in cleared)
    return [RECOVERED.get(condition, f"{condition} is fine again") for condition in conditions]


def _slot(about: About) -> str:
    slot = about.time(about.notice.slot)
    return f"the post of {slot}" if slot else "a post"


def _the_slot(about: About) -> str:
    """``_slot`` opening a sentence (``str.capitalize`` would lower the month's name)."""
    words = _slot(about)
    return words[:1].upper() + words[1:]


def _why(about: About) -> str | None:
    return f"Why: {about.notice.reason}" if about.notice.reason else None


def _run_line(about: About) -> str | None:
    return f"Workflow: {about.notice.workflow_id}" if about.notice.workflow_id else None


def post_failed(about: About) -> Said:
    platform = PLATFORMS.get(about.notice.platform or "", "Facebook or Instagram")
    return Said(
        "post failed",
        [f"{_the_slot(about)} did not go out on {platform}.", _why(about),
         _run_line(about)],
        about.run_link(), "Report",
    )  # fmt: skip


def post_partial(about: About) -> Said:
    platform = PLATFORMS.get(about.notice.platform or "", "one platform")
    return Said(
        "post went out on one platform only",
        [f"{_the_slot(about)} did not go out on {platform}; the other has it.",
         _why(about), _run_line(about)],
        about.run_link(), "Report",
    )  # fmt: skip


def approval_waiting(about: About) -> Said:
    notice = about.notice
    workflow_id = notice.workflow_id or "<workflow id>"
    lines: list[str | None] = [f"{_the_slot(about)} waits for your approval."]
    if notice.deadline:
        lines.append(f"Decide before {about.time(notice.deadline)}; after that it posts nothing.")
    # Captions exactly as they would be published: never shortened, never re-wrapped.
    for platform, caption in (("Facebook", notice.facebook_caption),
                              ("Instagram", notice.instagram_caption)):  # fmt: skip
        if caption is not None:
            lines += ["", f"{platform} caption:", caption]
    lines += [
        "",
        f"In a terminal: feedpub approve {workflow_id}",
        f"   or: feedpub reject {workflow_id} --reason '...'",
    ]
    if notice.workflow_id and notice.run_id:
        link = _approval_link(about, notice.workflow_id, notice.run_id)
    else:
        link = about.brand_link()
    return Said("a post waits for your approval", lines, link, "Approve or reject")


def _approval_link(about: About, workflow_id: str, run_id: str) -> str | None:
    """The run's approval page; with the link secret, signed for this run until its deadline,
    so that it opens without a password (made here, when the message is sent: never in the
    run's history)."""
    page = about.link(approval_path(workflow_id, run_id))
    deadline = about.notice.deadline
    if page is None or not about.link_secret or not deadline:
        return page
    try:
        token = sign_approval_link(about.link_secret, workflow_id, run_id, deadline)
    except ValueError:  # a deadline without its offset: the page still opens, with a login
        return page
    return f"{page}?link={token}"


def approval_expired(about: About) -> Said:
    deadline = about.time(about.notice.deadline)
    before = f" before {deadline}" if deadline else " in time"
    return Said(
        "approval expired, nothing posted",
        [f"Nobody approved {_slot(about)}{before}, so that slot posted nothing.",
         _run_line(about)],
        about.run_link(), "Report",
    )  # fmt: skip


def back_to_normal(about: About) -> Said:
    what = recovered(about.cleared or about.notice.clears) or ["all is well again"]
    slot = about.time(about.notice.slot)
    lines = [
        f"Back to normal: {', '.join(what)}.",
        f"The post of {slot} went out." if slot else None,
        about.notice.reason,
    ]
    return Said("back to normal", lines, about.run_link(), "Run")


def insights_permission(about: About) -> Said:
    notice = about.notice
    platform = PLATFORMS.get(notice.platform or "", "Meta")
    variable = about.brand.meta_token_env if about.brand else "the brand's META_ACCESS_TOKEN_*"
    return Said(
        f"{platform} figures cannot be read",
        [f"Meta refuses to give the figures of {_slot(about)} on {platform}.", _why(about),
         "The posts still go out; feedpub cannot learn from them until this is mended.",
         f"Give the token in {variable} the instagram_manage_insights (Instagram) and "
         "read_insights (Facebook) permissions, or make a new one with them.",
         _run_line(about)],
        about.run_link(), "Report",
    )  # fmt: skip


def test(about: About) -> Said:
    return Said(
        "test message",
        [f"A test message from feedpub for {about.name or 'every brand'}.",
         "If you can read it, this destination works."],
        about.brand_link(), "Brand",
    )  # fmt: skip


RUN_TEXTS: dict[str, Callable[[About], Said]] = {
    "post_failed": post_failed,
    "post_partial": post_partial,
    "approval_waiting": approval_waiting,
    "approval_expired": approval_expired,
    "back_to_normal": back_to_normal,
    "insights_permission": insights_permission,
    "test": test,
}
