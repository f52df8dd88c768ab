"""``make run``'s planned post: its brands file differs from the shipped one only in the planned
brand's batch cut-off, the shortest there is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from devstack.planned_demo import planned_brand, with_short_cutoff
from feedpub.brands import load_brands

SHIPPED = Path(__file__).parents[2] / "brands.toml"


def test_make_runs_brands_file_cuts_the_planned_brands_batch_a_minute_before_its_slot(
    tmp_path: Path,
) -> None:
    shipped = load_brands(SHIPPED)
    demo = load_brands(with_short_cutoff(SHIPPED, tmp_path))
    name = planned_brand(shipped)
    assert name is not None and demo[name].batch_cutoff == "1m"
    assert {**demo, name: replace(demo[name], batch_cutoff=shipped[name].batch_cutoff)} == shipped
