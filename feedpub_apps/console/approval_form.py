"""Reading an approval page's POSTed form into the decision it asks for, with what the person
typed kept for the page to show again when the decision is refused."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from .approval_access import Access
from .decisions import DECIDED, Decision, DecisionRefused, Kind
from .waiting import RunState

__all__ = ["FIELDS", "decision_from"]

FIELDS = ("facebook", "instagram", "reason", "photo_reason")
"""The form's text fields: the two captions, a rejection's reason, another photo's reason."""
REASON_MAX_CHARS = 1000
"""A rejection's reason travels in the run's history, report and messages: kept short."""


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    # Browsers send a textarea's line ends as CRLF; the captions are written with LF.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def decision_from(
    form: FormData, run: RunState, access: Access
) -> tuple[Kind, Decision | None, dict[str, str], DecisionRefused | None]:
    """The kind of decision asked, the decision (None when the form is not complete), what was
    typed, and what is missing from it."""
    kind = form.get("decision")
    if kind not in DECIDED:
        raise HTTPException(400, "This form asks for no decision the console knows.")
    typed = {name: _text(form, name) for name in FIELDS if name in form}
    by = access.decided_by()
    if kind == "approve":
        return "approve", Decision("approve", by), typed, None
    if kind == "reject":
        if not typed.get("reason"):
            missing = DecisionRefused("Say why it is rejected: the team reads it.", "reason")
            return "reject", None, typed, missing
        if len(typed["reason"]) > REASON_MAX_CHARS:
            too_long = DecisionRefused(
                f"Say it in at most {REASON_MAX_CHARS} characters: the reason goes into the "
                "run's report and the team's messages.",
                "reason",
            )
            return "reject", None, typed, too_long
        return "reject", Decision("reject", by, reason=typed["reason"]), typed, None
    if kind == "another_photo":
        reason = typed.get("photo_reason") or "another photo asked in the console"
        return "another_photo", Decision("another_photo", by, reason=reason), typed, None
    return "edit", *_edit(typed, run, access)


def _edit(
    typed: dict[str, str], run: RunState, access: Access
) -> tuple[Decision | None, dict[str, str], DecisionRefused | None]:
    """Only the captions the person changed are sent; none changed is an approval as written."""
    captions = run.progress.captions if run.progress else None
    changed: dict[str, str] = {}
    for platform in ("facebook", "instagram"):
        if platform in typed and not typed[platform]:
            empty = f"Write a {platform.capitalize()} caption, or Approve to keep the written one."
            return None, typed, DecisionRefused(empty, platform)
        written = getattr(captions, platform).strip() if captions else None
        if platform in typed and typed[platform] != written:
            changed[platform] = typed[platform]
    if not changed:
        return Decision("approve", access.decided_by()), typed, None
    return Decision("edit", access.decided_by(), **changed), typed, None
