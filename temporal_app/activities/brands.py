"""The brand's run policy, read from the worker's brands file when a run starts."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.posting_slots import next_slot_after, planned_slot

from ..models import BrandPolicy, BrandPolicyInput


class BrandActivities:
    def __init__(self, brands: dict[str, Brand]) -> None:
        self._brands = brands

    @activity.defn(name="get_brand_policy")
    async def get_brand_policy(self, request: BrandPolicyInput) -> BrandPolicy:
        """Whether the run plans a slot ahead, needs approval, and until when it may wait."""
        brand = self._brands.get(request.brand)
        if brand is None:
            known = ", ".join(sorted(self._brands))
            raise ApplicationError(
                f"unknown brand '{request.brand}' (known: {known})",
                type="UnknownBrand",
                non_retryable=True,
            )
        return brand_policy(brand, request, datetime.now(UTC))


def brand_policy(brand: Brand, request: BrandPolicyInput, now: datetime) -> BrandPolicy:
    """The policy of one run of ``brand`` started ``now`` (pure, for unit tests)."""
    slot = run_slot(brand, request, now)
    policy = BrandPolicy(
        photo_search_seconds=float(brand.photo_search_seconds),
        slot=slot.isoformat() if slot else None,
        # Only a planned run draws its jitter: a run published now was jittered by its
        # schedule, or was asked for by a person who wants it now.
        jitter_seconds=brand.jitter_seconds if slot else 0,
        at_slot_unapproved=brand.at_slot_unapproved,
        batch_cutoff_seconds=float(brand.batch_cutoff_seconds),
        time_zone=brand.time_zone,
    )
    if brand.approval != "required":
        return policy
    policy.approval_required = True
    if slot is not None:
        # A planned post may be decided on until its slot; then it is published or skipped.
        policy.approval_deadline_seconds = (slot - now).total_seconds()
        return policy
    # A run that publishes now takes now as its own slot. A decision after the slot that
    # follows would be stale: that slot has its own run.
    until_next_slot = (next_slot_after(brand, now) - now).total_seconds()
    policy.approval_deadline_seconds = min(brand.approval_timeout_minutes * 60.0, until_next_slot)
    return policy


def run_slot(brand: Brand, request: BrandPolicyInput, now: datetime) -> datetime | None:
    """The slot this run plans for, or None: it publishes now.

    A slot asked for explicitly is kept while it is in the future. A run the brand's schedule
    started at one of its planning times plans that time's slot, unless the slot has passed
    (a backfill of past slots publishes now). Anything else publishes now: a trigger (its
    scheduled time is the trigger's moment), ``feedpub run``, a brand with ``plan_ahead = "0"``.
    """
    requested = _moment(request.requested_slot, "requested_slot")
    if requested is not None:
        return requested.astimezone(UTC) if requested > now else None
    scheduled = _moment(request.scheduled_start, "scheduled_start")
    if scheduled is None or not brand.planned:
        return None
    slot = planned_slot(brand, scheduled)
    return slot if slot is not None and slot > now else None


def _moment(text: str | None, field: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApplicationError(
            f"{field} {text!r} is not an ISO 8601 time with its offset (2026-11-21T08:00:00+00:00)",
            type="BadSlot",
            non_retryable=True,
        )
    return moment
