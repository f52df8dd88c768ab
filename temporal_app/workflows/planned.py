"""The planned path of a run: claim the slot, make the plan (photo, captions, image), wait on a
durable timer until the slot while people may change the plan, look again, then hand over to
publishing. Workflow code: no I/O.

A dry run makes the plan and waits for the slot as any planned run, but claims no slot and
publishes nothing: at its end the photo goes back.

A cancellation before the slot (the brand paused, disabled, pruned or its posting time
removed) gives everything back: the caption batch is cancelled, the photo released, the slot
given up, and a report with status ``cancelled`` saved; nobody is told.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import Progress, PublishReport

    from ..activities import ReportActivities
    from ..models import BrandPolicy, SlotClaimInput
    from . import patches, policies
    from .caption_batch import BatchCaptions
    from .decisions import decision_words, nobody_decided
    from .notify import tell
    from .photo_choice import OrdinaryCaptions, PhotoChoice
    from .plan import Plan
    from .plan_making import PlanMaking
    from .run_notices import approval_expired
    from .slot_looks import SlotLooks
    from .steps import RunSteps

__all__ = ["PlannedRun"]


class PlannedRun:
    def __init__(self, steps: RunSteps, progress: Progress, photos: PhotoChoice, plan: Plan):
        self._steps = steps
        self._progress = progress
        self._plan = plan
        self._making = PlanMaking(steps, progress, photos, plan)
        self._looks = SlotLooks(steps, progress, self._making)
        self._claim_asked = False
        self._batch: BatchCaptions | None = None
        """Writes the first plan's captions while the batch cut-off is ahead."""

    async def until_the_slot(self, report: PublishReport, policy: BrandPolicy) -> bool:
        """Make the plan and wait for its slot. True: publish now, the plan's captions and
        revision in the report; False: the run ends without publishing (the report says why).
        Cancelled: it gives everything back, then raises ``asyncio.CancelledError``."""
        assert policy.slot is not None
        self._plan.planned = True
        slot = datetime.fromisoformat(policy.slot)
        report.slot = self._progress.slot = policy.slot
        try:
            if not self._rehearsal(report) and not await self._claim(report, policy.slot):
                return False
            await self._steps.check_token(report)
            cutoff = slot - timedelta(seconds=policy.batch_cutoff_seconds)
            if cutoff > workflow.now():
                self._batch = BatchCaptions(self._steps, self._progress, cutoff)
                await self._making.make(report, policy, self._batch)
                # The last moment with time to mend the plan (a photo deleted, rules changed).
                if not await self._until(report, policy, cutoff):
                    return False
                await self._looks.at_cutoff(report, policy)
            else:
                await self._making.make(report, policy, OrdinaryCaptions(self._steps))
            jitter = workflow.random().uniform(0, policy.jitter_seconds)
            if not await self._until(report, policy, slot + timedelta(seconds=jitter)):
                return False
            self._plan.closed = True
            return await self._looks.at_slot(report, policy) and await self._decided(report, policy)
        except BaseException as error:
            self._plan.closed = True
            if not is_cancelled_exception(error):
                raise
            await self._give_back(report, policy.slot)
            raise asyncio.CancelledError("cancelled before its slot") from None
        finally:
            self._plan.closed = True  # whatever ended the wait, people change nothing now

    @staticmethod
    def _rehearsal(report: PublishReport) -> bool:
        """A dry run claims no slot: holding it would make the run that posts at that slot end
        ``skipped``. Dry runs recorded claiming one replay as they ran."""
        return report.dry_run and workflow.patched(patches.DRY_RUN_CLAIMS_NO_SLOT)

    async def _claim(self, report: PublishReport, slot: str) -> bool:
        """Claim the slot; False (the report names the run that holds it) when another run
        plans it."""
        self._claim_asked = True
        claim = await self._steps.run(
            "claim_slot", policies.CLAIM_SLOT, ReportActivities.claim_slot,
            SlotClaimInput(report.brand, slot, report.workflow_id, report.run_id),
        )  # fmt: skip
        if claim.claimed:
            return True
        report.status = "skipped"
        report.reason = (
            f"the slot {slot} is already planned by run {claim.holder_workflow_id} "
            f"({claim.holder_run_id}); this run took nothing"
        )
        return False

    async def _until(self, report: PublishReport, policy: BrandPolicy, moment: datetime) -> bool:
        """Wait until ``moment`` on a durable timer, carrying out what people ask meanwhile;
        False when a person rejected the plan."""
        plan = self._plan
        while True:
            waits_for_approval = policy.approval_required and self._progress.decision is None
            self._progress.step = "awaiting_approval" if waits_for_approval else "planned"
            left = (moment - workflow.now()).total_seconds()
            if not plan.asked and left > 0:
                try:
                    await workflow.wait_condition(lambda: plan.asked, timeout=left)
                except TimeoutError:
                    return True
            if plan.rejected is not None:
                report.status = "rejected"
                report.approval = decision_words(
                    "rejected", self._progress, policy.time_zone, plan.rejected
                )
                report.reason = f"rejected by a person: {plan.rejected}"
                return False
            if plan.another_photo is None:
                return True
            await self._making.another_photo(report, policy)

    async def _decided(self, report: PublishReport, policy: BrandPolicy) -> bool:
        """At the slot: publish what a person approved or edited; without a decision, what
        the brand's ``at_slot_unapproved`` says."""
        self._progress.awaiting_approval_until = None
        report.captions = self._progress.captions
        report.revision = self._progress.revision
        decision = self._progress.decision
        if decision is not None:
            report.approval = decision_words(decision, self._progress, policy.time_zone)
            return True
        if not policy.approval_required:
            return True
        assert policy.slot is not None
        nobody = nobody_decided(policy.slot, policy.time_zone, "the slot")
        if policy.at_slot_unapproved == "publish":
            report.approval = f"{nobody}: published (at_slot_unapproved = publish)"
            return True
        report.status, report.approval = "expired", f"expired: {nobody}"
        report.reason = "no decision by the slot; nothing was published"
        await tell(approval_expired(report, policy.slot))
        return False

    async def _give_back(self, report: PublishReport, slot: str) -> None:
        """A cancelled run holds nothing any more, and its report says so."""
        report.status = "cancelled"
        report.reason = "cancelled before its slot; nothing was published"
        if self._batch is not None:
            await self._batch.give_up()
        if self._claim_asked:
            await self._steps.run(
                "release_slot", policies.RELEASE_SLOT, ReportActivities.release_slot,
                SlotClaimInput(report.brand, slot, report.workflow_id, report.run_id),
            )  # fmt: skip
        await self._steps.finish(report)
