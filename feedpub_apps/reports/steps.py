"""A run's steps in the order a run takes them, for the times a report lists per step.

A saved report's ``timings`` come back from PostgreSQL with their keys in another order than
the run recorded them (``jsonb`` does not keep it), so the pages and the command line put
them back in the order of a run: a person reads the times as the run went.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["STEP_ORDER", "in_run_order"]

STEP_ORDER = (
    "get_brand_policy",
    "claim_slot",
    "check_meta_token",
    "reserve_photo",
    "analyze_photo",
    "reject_photo",
    "generate_caption",
    "submit_caption_batch",
    "collect_caption_batch",
    "cancel_caption_batch",
    "prepare_media",
    "check_at_slot",
    "publish_facebook",
    "publish_instagram",
    "verify_facebook",
    "verify_instagram",
    "mark_photo_used",
    "release_photo",
    "release_slot",
    "save_report",
)
"""The steps of a run, in the order a run takes them; a step not named here comes last."""
_PLACE = {step: place for place, step in enumerate(STEP_ORDER)}


def in_run_order(timings: Mapping[str, float]) -> list[tuple[str, float]]:
    """``timings`` (step -> seconds) in the order a run takes its steps."""
    return sorted(timings.items(), key=lambda item: _PLACE.get(item[0], len(STEP_ORDER)))
