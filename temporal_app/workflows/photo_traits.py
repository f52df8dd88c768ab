"""PhotoTraitsWorkflow: a short look by Claude at a brand's unused photos that have no traits
yet, so that its learning can weigh them.

One run per brand (``traits_workflow_id``). Each round takes up to ``PHOTOS_A_ROUND`` photos,
sends them as one Message Batch, looks at the batch on durable timers (after a minute, then
twice as long each time, up to 15 minutes) and stores each answer; rounds go on until no photo
is left, the run continuing as new after ``ROUNDS_A_RUN`` so that its history stays short.
Nothing waits for it: the brands' checks start it each hour. Workflow code: no I/O.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    # Imported by its full name so that the sandbox knows the module: an activity's result
    # is decoded by the type hints of its class, read in the module that defines it.
    from feedpub.contract.tools import PhotosToLook

    from ..activities.photo_traits import TraitActivities
    from ..traits.models import (
        PhotosToLookInput,
        PhotoTraitsReport,
        PhotoTraitsRequest,
        TraitsBatch,
        TraitsBatchOutcome,
    )
    from . import policies
    from .children import start_unawaited
    from .steps import run_activity

__all__ = [
    "PHOTOS_A_ROUND",
    "TRAITS_WORKFLOW_NAME",
    "PhotoTraitsWorkflow",
    "start_trait_look",
    "traits_workflow_id",
]

TRAITS_WORKFLOW_NAME = "PhotoTraitsWorkflow"
PHOTOS_A_ROUND = 50
ROUNDS_A_RUN = 5
FIRST_LOOK_SECONDS = 60.0
LONGEST_WAIT_SECONDS = 15 * 60.0
_SHOWN = 20
"""The photos without traits a report names at most."""


def traits_workflow_id(brand: str) -> str:
    """One trait look per brand: a second start finds the one under way."""
    return f"feedpub-traits-{brand}"


async def start_trait_look(brand: str) -> bool:
    """Start the brand's trait look as a child that outlives its parent, and return once it has
    started; False when one is under way already (it is left to go on)."""
    return await start_unawaited(
        PhotoTraitsWorkflow.run,
        PhotoTraitsRequest(brand),
        id=traits_workflow_id(brand),
        summary=f"trait look ({brand})",
    )


@workflow.defn(name=TRAITS_WORKFLOW_NAME)
class PhotoTraitsWorkflow:
    @workflow.run
    async def run(self, request: PhotoTraitsRequest) -> PhotoTraitsReport:
        report = PhotoTraitsReport(request.brand, request.rounds_before, request.stored_before)
        for _ in range(ROUNDS_A_RUN):
            photos: PhotosToLook = await run_activity(
                TraitActivities.photos_to_look_at,
                PhotosToLookInput(request.brand, PHOTOS_A_ROUND),
                policies.PHOTOS_TO_LOOK_AT,
            )
            if not photos.photos:
                return report
            batch = await run_activity(
                TraitActivities.submit_traits_batch, photos, policies.SUBMIT_TRAITS_BATCH
            )
            outcome = await _until_ended(batch)
            report.rounds += 1
            report.stored += outcome.stored
            report.not_stored = [*report.not_stored, *batch.not_sent, *outcome.not_stored][:_SHOWN]
        workflow.continue_as_new(PhotoTraitsRequest(request.brand, report.rounds, report.stored))


async def _until_ended(batch: TraitsBatch) -> TraitsBatchOutcome:
    """The batch's outcome once it has ended (within 24 hours: then it expires)."""
    wait = FIRST_LOOK_SECONDS
    while True:
        if batch.batch_id is not None:
            await workflow.sleep(wait)
        outcome = await run_activity(
            TraitActivities.collect_traits_batch, batch, policies.COLLECT_TRAITS_BATCH
        )
        if outcome.ended:
            return outcome
        wait = min(wait * 2, LONGEST_WAIT_SECONDS)
