"""One post of a brand now, as ``feedpub run`` and the console's "Post now" and "Dry run" start
it: by the workflow's name in the contract, with the id, memo and ``Brand`` search attribute
every such run carries (the schedule's runs carry the attribute too, which is how a brand's
runs are found)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from feedpub.brands import Brand
from feedpub.contract.run import WORKFLOW_NAME, PublishReport, PublishRequest
from feedpub.contract.schedules import BRAND_SEARCH_ATTRIBUTE

__all__ = ["BRAND_KEY", "start_post"]

BRAND_KEY = SearchAttributeKey.for_keyword(BRAND_SEARCH_ATTRIBUTE)


async def start_post(
    client: Client, brand: Brand, *, dry_run: bool, task_queue: str
) -> WorkflowHandle[Any, PublishReport]:
    """Start one run of ``brand`` that publishes now (every step but publishing when
    ``dry_run``); its id says the brand, the kind and the second it was asked for."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kind = "dry-run" if dry_run else "manual"
    return await client.start_workflow(
        WORKFLOW_NAME,
        PublishRequest(brand=brand.name, dry_run=dry_run),
        result_type=PublishReport,
        id=f"{brand.name}-{kind}-{stamp}",
        task_queue=task_queue,
        memo={"brand": brand.name, "trigger": kind},
        search_attributes=TypedSearchAttributes([SearchAttributePair(BRAND_KEY, brand.name)]),
    )
