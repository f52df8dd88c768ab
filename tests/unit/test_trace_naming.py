"""A run's trace is named after its brand and slot; its metadata holds ids, never text."""

from __future__ import annotations

from langfuse import Langfuse

from feedpub.contract.run import Captions, PlatformResult, PublishReport
from feedpub.contract.tools import Photo
from temporal_app.observability.activity_spans import trace_metadata, trace_name
from temporal_app.observability.trace_tree import run_trace_ids


def test_a_scheduled_run_is_named_after_its_slot_and_a_manual_run_says_manual() -> None:
    assert (
        trace_name("pomandi", "pomandi-daily-posts-2026-11-20T08:00:00Z")
        == "pomandi post 2026-11-20T08:00:00Z"
    )
    assert trace_name("pomandi", "pomandi-manual-20261120T080000Z") == "pomandi post manual"
    assert trace_name("pomandi", "-daily-posts-x") == "pomandi post manual"


def test_the_trace_id_is_langfuses_seeded_with_the_workflow_id() -> None:
    trace_id, root_id = run_trace_ids("pomandi-daily-posts-2026-11-20T08:00:00Z")
    assert f"{trace_id:032x}" == Langfuse.create_trace_id(
        seed="pomandi-daily-posts-2026-11-20T08:00:00Z"
    )
    assert root_id == run_trace_ids("pomandi-daily-posts-2026-11-20T08:00:00Z")[1] != 0
    assert run_trace_ids("other")[0] != trace_id


def test_the_report_gives_the_trace_its_photo_and_platform_results_but_no_caption() -> None:
    report = PublishReport(
        run_id="r1", workflow_id="w1", brand="pomandi", status="partial", started_at="",
        photo_key="pomandi/a.jpg",
        captions=Captions(facebook="secret words", instagram="more words", alt_text="alt"),
        facebook=PlatformResult(platform="facebook", status="published", post_id="1_2"),
        instagram=PlatformResult(platform="instagram", status="failed", reason="x" * 500),
    )  # fmt: skip

    metadata = trace_metadata(report, "w1", "r1")

    assert metadata["photo_key"] == "pomandi/a.jpg"
    assert metadata["facebook"] == "published 1_2"
    assert metadata["instagram"].startswith("failed x") and len(metadata["instagram"]) <= 150
    assert metadata["status"] == "partial" and metadata["run_id"] == "r1"
    assert "words" not in str(metadata)
    assert trace_metadata(Photo(brand="pomandi", key="k.jpg"), "w", "r")["photo_key"] == "k.jpg"
