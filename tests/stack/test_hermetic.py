"""The tests use their own services whatever the shell holds: a developer's real Claude key,
AWS credentials, database or Meta address never reach the test stack or what the tests start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from devstack.serve import free_port
from devstack.stack import EmbeddedStack, StackOptions

ROOT = Path(__file__).resolve().parents[2]
SHELL_SERVICES = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ENDPOINT_URL",
    "DATABASE_URL",
    "CONSOLE_DATABASE_URL",
    "META_GRAPH_URL",
)
"""Each switches a part of the stack (or an SDK a test uses) to the service it names."""


def test_the_stack_and_the_processes_tests_start_see_none_of_the_shells_services(
    tmp_path: Path,
) -> None:
    options = StackOptions(
        brands_file=ROOT / "tests" / "fixtures" / "brands.toml", workdir=tmp_path
    )
    given = sorted(set(SHELL_SERVICES) & set(options.env))  # names only: values are secrets
    assert given == []
    stack = EmbeddedStack(options)
    try:
        stack._start_meta(options.env)
        stack._start_claude(options.env)
    finally:
        stack.stop()
    assert stack.meta is not None and stack.claude is not None, "the emulators were not started"
    assert stack.console_database_url is None, "the console would use the shell's database"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(*os.environ)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(set(SHELL_SERVICES) & set(child.stdout.split())) == []


def test_the_same_holds_when_the_shell_points_every_service_elsewhere() -> None:
    """The test above, run as `make test` runs it from a developer's shell."""
    nowhere = f"http://127.0.0.1:{free_port()}"
    shell = {
        "ANTHROPIC_API_KEY": "sk-ant-from-the-shell",
        "ANTHROPIC_BASE_URL": nowhere,
        "AWS_ACCESS_KEY_ID": "AKIAFROMTHESHELL",
        "AWS_SECRET_ACCESS_KEY": "secret-from-the-shell",
        "AWS_ENDPOINT_URL": nowhere,
        "DATABASE_URL": f"postgresql://shell@127.0.0.1:{free_port()}/real",
        "CONSOLE_DATABASE_URL": f"postgresql://shell@127.0.0.1:{free_port()}/real",
        "META_GRAPH_URL": nowhere,
    }
    probe = (
        f"{__file__}::test_the_stack_and_the_processes_tests_start_see_none_of_the_shells_services"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", probe],
        env={**os.environ, **shell},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
