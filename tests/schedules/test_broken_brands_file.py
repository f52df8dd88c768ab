"""A broken brands.toml stops the scheduler before it touches Temporal, naming every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack

from .support import brand_table, command_env, run, schedule_exists, unique_brand, write_brands

SCHEDULER = [sys.executable, "-m", "temporal_app.schedules"]
FEEDPUB_APPLY = [sys.executable, "-m", "feedpub_apps.cli", "schedules", "apply"]


@pytest.mark.parametrize("command", [SCHEDULER, FEEDPUB_APPLY], ids=["scheduler", "feedpub"])
async def test_every_problem_is_reported_and_no_schedule_is_made(
    stack: EmbeddedStack, client: Client, tmp_path: Path, command: list[str]
) -> None:
    fine, extra, late, lost, tokenless = (unique_brand() for _ in range(5))
    without_token = brand_table()
    del without_token["meta_token_env"]
    path = write_brands(
        tmp_path / "brands.toml",
        {
            fine: brand_table(),
            extra: brand_table(colour="blue"),
            late: brand_table(posting_times=["09:00", "25:00"]),
            lost: brand_table(time_zone="Europe/Atlantis"),
            tokenless: without_token,
        },
    )

    result = await run([*command, "--brands", str(path)], command_env(stack))

    assert result.returncode == 2, result.stderr
    for expected in (
        f"brand '{extra}': unknown field 'colour'",
        f"brand '{late}': field 'posting_times' has '25:00', not a HH:MM time",
        f"brand '{lost}': field 'time_zone' is not a known time zone: 'Europe/Atlantis'",
        f"brand '{tokenless}': missing field 'meta_token_env'",
    ):
        assert expected in result.stderr
    assert len([line for line in result.stderr.splitlines() if "brand '" in line]) == 4
    for name in (fine, extra, late, lost, tokenless):
        assert not await schedule_exists(client, f"{name}-daily-posts")


async def test_a_brand_written_twice_is_named_and_no_schedule_is_made(
    stack: EmbeddedStack, client: Client, tmp_path: Path
) -> None:
    twice = unique_brand()
    path = write_brands(tmp_path / "brands.toml", {twice: brand_table()})
    path.write_text(path.read_text() + "\n" + path.read_text())

    result = await run([*SCHEDULER, "--brands", str(path)], command_env(stack))

    assert result.returncode == 2, result.stderr
    # tomllib refuses the file as a whole; the message names the brand that came twice.
    assert f"brand '{twice}' is declared twice" in result.stderr
    assert not await schedule_exists(client, f"{twice}-daily-posts")


async def test_the_scheduler_does_not_need_temporal_to_reject_a_broken_file(
    tmp_path: Path,
) -> None:
    path = write_brands(tmp_path / "brands.toml", {unique_brand(): brand_table(jitter_seconds=-1)})
    env = {"PATH": "/usr/bin:/bin", "TEMPORAL_ADDRESS": "127.0.0.1:9"}  # nothing listens there

    result = await run([*SCHEDULER, "--brands", str(path)], env)

    assert result.returncode == 2
    assert "field 'jitter_seconds' must be between 0 and 3600" in result.stderr
