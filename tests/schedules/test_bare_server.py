"""The scheduler on a Temporal started the way Temporal's docs do, with no ``Brand`` attribute.

Where the server allows it the scheduler registers ``Brand`` itself; where it refuses (as
Temporal Cloud does without that permission) it stops with one line saying what to run.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client

from devstack.parts import start_temporal
from tests.polling import poll

from .refusing_proxy import refusing_operator_service
from .support import (
    brand_table,
    describe,
    run,
    schedule_exists,
    unique_brand,
    write_brands,
)

TEMPORAL = Path(sys.executable).parent / "temporal"
SCHEDULER = [sys.executable, "-m", "temporal_app.schedules"]
FEEDPUB_APPLY = [sys.executable, "-m", "feedpub_apps.cli", "schedules", "apply"]
LOCKED_NAMESPACE = "locked"
"""A namespace reached only through the proxy that refuses the operator service."""
TEXT_NAMESPACE = "text-brand"
"""A namespace where another application registered ``Brand`` as Text."""


@pytest.fixture(scope="module")
def bare_temporal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a second dev server, started without ``--search-attribute``."""
    child, address, _ = start_temporal(
        TEMPORAL,
        tmp_path_factory.mktemp("bare-temporal"),
        brand_attribute=False,
        namespaces=[LOCKED_NAMESPACE, TEXT_NAMESPACE],
    )
    try:
        yield address
    finally:
        child.kill()  # its data lives in memory and is not needed after: no graceful stop


def scheduler_env(address: str, brands_file: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(brands_file.parent),
        "TEMPORAL_ADDRESS": address,
        "TEMPORAL_TASK_QUEUE": f"bare-{brands_file.parent.name}",
        "BRANDS_FILE": str(brands_file),
        **extra,
    }


def outcomes(stdout: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[2] for line in stdout.splitlines()}


async def test_the_scheduler_registers_brand_then_a_second_run_changes_nothing(
    bare_temporal: str, tmp_path: Path
) -> None:
    brussels, new_york = unique_brand(), unique_brand()
    path = write_brands(
        tmp_path / "brands.toml",
        {
            brussels: brand_table(),
            new_york: brand_table(time_zone="America/New_York", posting_times=["07:15"]),
        },
    )
    env = scheduler_env(bare_temporal, path)

    first = await run(SCHEDULER, env)
    second = await run(SCHEDULER, env)

    assert first.returncode == 0, first.stderr
    assert outcomes(first.stdout) == {brussels: "created", new_york: "created", "(all)": "created"}
    assert second.returncode == 0, second.stderr
    assert outcomes(second.stdout) == {
        brussels: "unchanged",
        new_york: "unchanged",
        "(all)": "unchanged",
    }
    client = await Client.connect(bare_temporal)
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    assert listed.custom_attributes["Brand"] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

    async def schedule_ids() -> list[str] | None:
        ids = sorted([entry.id async for entry in await client.list_schedules()])
        return ids if len(ids) >= 3 else None

    assert await poll(schedule_ids, "all three schedules listed") == sorted(
        [f"{brussels}-daily-posts", f"{new_york}-daily-posts", "feedpub-brand-checks"]
    )
    zones = [
        (await describe(client, f"{name}-daily-posts")).schedule.spec
        for name in (brussels, new_york)
    ]
    assert [spec.time_zone_name for spec in zones] == ["Europe/Brussels", "America/New_York"]


async def test_a_server_that_refuses_registration_gets_one_line_saying_what_to_run(
    bare_temporal: str, tmp_path: Path
) -> None:
    name = unique_brand()
    path = write_brands(tmp_path / "brands.toml", {name: brand_table()})

    with refusing_operator_service(bare_temporal) as locked:
        env = scheduler_env(locked, path, TEMPORAL_NAMESPACE=LOCKED_NAMESPACE)
        refused = await asyncio.gather(run(SCHEDULER, env), run(FEEDPUB_APPLY, env))
        for result in refused:
            assert result.returncode == 2, result.stderr
            assert len(result.stderr.splitlines()) == 1, result.stderr
            assert "Traceback" not in result.stderr
            assert "permission denied" in result.stderr
            assert "tcld namespace search-attributes add" in result.stderr

        # What the line says to run, run by someone allowed to (straight at the server).
        command = re.search(
            r"`(temporal operator search-attribute create [^`]+)`", refused[0].stderr
        )
        assert command is not None, refused[0].stderr
        argv = [str(TEMPORAL), *shlex.split(command[1])[1:], "--address", bare_temporal]
        registered = await run(argv, {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert registered.returncode == 0, registered.stderr

        after = await run(SCHEDULER, env)

    assert after.returncode == 0, after.stderr
    assert outcomes(after.stdout) == {name: "created", "(all)": "created"}
    client = await Client.connect(bare_temporal, namespace=LOCKED_NAMESPACE)
    created = await describe(client, f"{name}-daily-posts")
    assert created.schedule.spec.time_zone_name == "Europe/Brussels"


async def test_a_brand_attribute_of_another_type_is_one_line_and_no_schedule(
    bare_temporal: str, tmp_path: Path
) -> None:
    name = unique_brand()
    path = write_brands(tmp_path / "brands.toml", {name: brand_table()})
    client = await Client.connect(bare_temporal, namespace=TEXT_NAMESPACE)
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=TEXT_NAMESPACE,
            search_attributes={"Brand": IndexedValueType.INDEXED_VALUE_TYPE_TEXT},
        )
    )

    result = await run(
        SCHEDULER, scheduler_env(bare_temporal, path, TEMPORAL_NAMESPACE=TEXT_NAMESPACE)
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"feedpub scheduler: the search attribute Brand is registered as Text in Temporal "
        f"namespace '{TEXT_NAMESPACE}', and feedpub needs it as Keyword: remove it there, or "
        "give feedpub another namespace (TEMPORAL_NAMESPACE)"
    ]
    assert not await schedule_exists(client, f"{name}-daily-posts")
