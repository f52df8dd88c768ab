"""The brand's run policy, read from the worker's brands file when a run starts."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.posting_slots import next_slot_after

from ..models import BrandPolicy, BrandPolicyInput


class BrandActivities:
    def __init__(self, brands: dict[str, Brand]) -> None:
        self._brands = brands

    @activity.defn(name="get_brand_policy")
    async def get_brand_policy(self, request: BrandPolicyInput) -> BrandPolicy:
        """Whether the run needs approval, and until when it may wait for one."""
        brand = self._brands.get(request.brand)
        if brand is None:
            known = ", ".join(sorted(self._brands))
            raise ApplicationError(
                f"unknown brand '{request.brand}' (known: {known})",
                type="UnknownBrand",
                non_retryable=True,
            )
        search = float(brand.photo_search_seconds)
        if brand.approval != "required":
            return BrandPolicy(approval_required=False, photo_search_seconds=search)
        now = datetime.now(UTC)
        # A decision after the next slot would be stale: that slot has its own run.
        until_next_slot = (next_slot_after(brand, now) - now).total_seconds()
        deadline = min(brand.approval_timeout_minutes * 60.0, until_next_slot)
        return BrandPolicy(
            approval_required=True, approval_deadline_seconds=deadline, photo_search_seconds=search
        )
