"""A planned run's looks at what changed while it waited (``check_at_slot``): at the batch
cut-off, while hours are left to mend the plan, and at the slot, when only publishing is left.

At the cut-off: a photo deleted from S3 is replaced, captions that break the brand's rules as
they are now are written again. At the slot the same findings end the run: the brand removed,
the photo gone or the captions broken fail it (the team is told); the brand disabled, its
schedule paused or its posting time removed skip the slot. Workflow code: no I/O.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import Progress, PublishReport

    from ..activities import SlotActivities
    from ..models import BrandPolicy, SlotCheckInput, SlotProblemKind
    from . import policies
    from .plan_making import PlanMaking
    from .run_notices import SCHEDULED_AT
    from .steps import RunSteps

__all__ = ["SlotLooks"]

SKIPPING: tuple[SlotProblemKind, ...] = ("brand_disabled", "schedule_paused", "slot_removed")
"""Someone stopped the brand's posts at this slot: the run publishes nothing, and fails not."""
FAILING: tuple[SlotProblemKind, ...] = ("brand_removed", "photo_missing", "captions_break_rules")


class SlotLooks:
    def __init__(self, steps: RunSteps, progress: Progress, making: PlanMaking) -> None:
        self._steps = steps
        self._progress = progress
        self._making = making

    async def at_cutoff(self, report: PublishReport, policy: BrandPolicy) -> None:
        """Mend the plan while hours are left; a removed brand ends the run (it fails)."""
        found = await self._look(report, policy)
        if "brand_removed" in found:
            raise _failure("brand_removed", found["brand_removed"])
        if "photo_missing" in found:
            report.warnings.append(f"{found['photo_missing']}; another was planned")
            await self._making.replace_deleted(report, policy)
        elif "captions_break_rules" in found:
            report.warnings.append(f"{found['captions_break_rules']}; they were written again")
            await self._making.rewrite_captions(report, policy)

    async def at_slot(self, report: PublishReport, policy: BrandPolicy) -> bool:
        """Whether the plan may go out as it is; False when the slot is skipped (the report
        says why). A finding that costs the post fails the run."""
        found = await self._look(report, policy)
        for kind in FAILING:
            if kind in found:
                if kind == "photo_missing":
                    await self._making.reject_deleted(report)
                raise _failure(kind, found[kind])
        reasons = [found[kind] for kind in SKIPPING if kind in found]
        if not reasons:
            return True
        report.status = "skipped"
        report.reason = "not published at its slot: " + "; ".join(reasons)
        return False

    async def _look(self, report: PublishReport, policy: BrandPolicy) -> dict[str, str]:
        assert policy.slot is not None
        check = await self._steps.run(
            "check_at_slot", policies.CHECK_AT_SLOT, SlotActivities.check_at_slot,
            SlotCheckInput(
                brand=report.brand, slot=policy.slot, photo_key=report.photo_key,
                captions=self._progress.captions,
                scheduled=workflow.info().typed_search_attributes.get(SCHEDULED_AT) is not None,
            ),
        )  # fmt: skip
        return {problem.kind: problem.reason for problem in check.problems}


def _failure(kind: SlotProblemKind, reason: str) -> ApplicationError:
    words = {
        "brand_removed": f"{reason}: its planned post was not published",
        "photo_missing": f"{reason} at its slot, too late to plan another; nothing was published",
        "captions_break_rules": f"{reason}; nothing was published",
    }
    return ApplicationError(words[kind], type=_TYPES[kind], non_retryable=True)


_TYPES = {
    "brand_removed": "BrandRemoved",
    "photo_missing": "PhotoDeleted",
    "captions_break_rules": "CaptionInvalid",
}
