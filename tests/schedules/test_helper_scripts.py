"""scripts/pause.sh, unpause.sh, trigger.sh and list.sh, run as an operator would."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.brands import load_brands
from temporal_app.schedules import apply_schedules
from tests.stack.helpers import upload_photo

from .support import ROOT, brand_table, command_env, describe, run, unique_brand, write_brands

SCRIPTS = ROOT / "scripts"
FIXTURE_BRANDS = ROOT / "tests" / "fixtures" / "brands.toml"


def block_of(listing: str, brand: str) -> list[str]:
    """The lines ``list`` prints for one brand (blocks are separated by a blank line)."""
    for block in listing.split("\n\n"):
        if block.startswith(f"{brand}  "):
            return block.splitlines()
    raise AssertionError(f"{brand} not in:\n{listing}")


async def test_pause_unpause_and_list_scripts_from_any_directory(
    stack: EmbeddedStack, client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made.append(f"{name}-daily-posts")
    path = write_brands(tmp_path / "brands.toml", {name: brand_table(posting_times=["09:00"])})
    await apply_schedules(load_brands(path), task_queue=queue, client=client)
    env = command_env(stack, BRANDS_FILE=str(path))

    paused = await run([str(SCRIPTS / "pause.sh"), name, "photo shoot"], env, cwd=tmp_path)
    state = (await describe(client, f"{name}-daily-posts")).schedule.state
    listed = await run([str(SCRIPTS / "list.sh")], env, cwd=tmp_path)
    unpaused = await run([str(SCRIPTS / "unpause.sh"), name], env, cwd=tmp_path)

    assert paused.returncode == 0, paused.stderr
    assert (state.paused, state.note) == (True, "photo shoot")
    assert listed.returncode == 0, listed.stderr
    lines = block_of(listed.stdout, name)
    assert "09:00 Europe/Brussels" in lines[0]
    assert lines[1].split() == ["state", "paused", "—", "photo", "shoot"]
    next_runs = [line for line in lines if line.endswith(" UTC")]
    assert len(next_runs) == 3
    assert all(" 09:00 CE" in line for line in next_runs)  # CET or CEST, local time
    assert "last run  none yet" in lines[-1]
    assert unpaused.returncode == 0, unpaused.stderr
    assert (await describe(client, f"{name}-daily-posts")).schedule.state.paused is False


async def test_an_unknown_brand_gets_the_list_of_known_brands(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    known = unique_brand()
    path = write_brands(tmp_path / "brands.toml", {known: brand_table()})

    result = await run(
        [str(SCRIPTS / "pause.sh"), "nosuchbrand"], command_env(stack, BRANDS_FILE=str(path))
    )

    assert result.returncode == 2
    assert f"unknown brand 'nosuchbrand'; known brands: {known}" in result.stderr


@pytest.mark.parametrize("script", ["pause.sh", "unpause.sh", "trigger.sh"])
async def test_a_script_without_a_brand_prints_its_usage(stack: EmbeddedStack, script: str) -> None:
    result = await run([str(SCRIPTS / script)], command_env(stack))

    assert result.returncode == 2
    assert f"usage: scripts/{script} BRAND" in result.stderr


@pytest.mark.usefixtures("worker")
async def test_trigger_script_starts_a_run_that_completes_and_list_shows_its_result(
    stack: EmbeddedStack, client: Client, s3: Any, made: list[str]
) -> None:
    # The worker reads the fixture brands file, so the run must be one of its brands.
    pomandi = load_brands(FIXTURE_BRANDS)["pomandi"]
    made.append(pomandi.schedule_id)
    await apply_schedules({"pomandi": pomandi}, task_queue=stack.options.task_queue, client=client)
    upload_photo(stack, s3, "pomandi")
    env = command_env(stack, BRANDS_FILE=str(FIXTURE_BRANDS))

    triggered = await run([str(SCRIPTS / "trigger.sh"), "pomandi"], env)

    assert triggered.returncode == 0, triggered.stderr
    workflow_id = triggered.stdout.split()[-1]
    assert triggered.stdout.startswith("started pomandi-daily-posts-")
    report = await asyncio.wait_for(client.get_workflow_handle(workflow_id).result(), 90)
    assert report["status"] == "published"
    listed = await run([str(SCRIPTS / "list.sh")], env)
    lines = block_of(listed.stdout, "pomandi")
    assert f"  last run  {workflow_id}" in lines
    assert lines[-1].endswith("— completed, published")
