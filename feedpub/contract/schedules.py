"""Schedule and run ids: a brand's Schedule is ``<brand>-daily-posts``, and Temporal names each
run it starts ``<schedule id>-<slot timestamp>``."""

from __future__ import annotations

__all__ = ["BRAND_SEARCH_ATTRIBUTE", "brand_of_schedule", "schedule_id", "scheduled_slot"]

_SUFFIX = "-daily-posts"

BRAND_SEARCH_ATTRIBUTE = "Brand"
"""Keyword search attribute every run carries, so runs can be listed by brand."""


def schedule_id(brand: str) -> str:
    return f"{brand}{_SUFFIX}"


def brand_of_schedule(schedule_id: str) -> str | None:
    """The brand whose Schedule has this id; None for a schedule that is not a brand's."""
    brand = schedule_id.removesuffix(_SUFFIX)
    return brand if brand and brand != schedule_id else None


def scheduled_slot(workflow_id: str) -> str | None:
    """The slot timestamp of a run its brand's Schedule started; None for any other run."""
    head, mark, slot = workflow_id.rpartition(f"{_SUFFIX}-")
    return slot if mark and head and slot else None
