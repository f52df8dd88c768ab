"""entrypoint.sh dispatches RUN_MODE to the right program, with the right arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "entrypoint.sh"
MODES = ("worker", "scheduler", "watchdog", "console", "feed-publisher-mcp", "agent-outputs-mcp")
# Variables the entrypoint reads; cleared so the caller's environment cannot leak in.
READS = ("RUN_MODE", "PYTHON", "MCP_TRANSPORT", "MCP_HOST", "MCP_PORT", "CONSOLE_HOST")


def run_entrypoint(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in READS}
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    """An interpreter stand-in that prints its arguments, its parent's pid and the console's
    listen address as JSON."""
    script = tmp_path / "fake-python"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        'print(json.dumps({"argv": sys.argv[1:], "ppid": os.getppid(),'
        ' "console_host": os.environ.get("CONSOLE_HOST")}))\n'
    )
    script.chmod(0o755)
    return script


def dispatched(fake_python: Path, mode: str, *args: str, **env: str) -> list[str]:
    result = run_entrypoint(*args, env={"RUN_MODE": mode, "PYTHON": str(fake_python), **env})
    assert result.returncode == 0, result.stderr
    argv: list[str] = json.loads(result.stdout)["argv"]
    return argv


def test_entrypoint_is_an_executable_bash_script_that_stops_on_errors() -> None:
    text = ENTRYPOINT.read_text()
    assert os.access(ENTRYPOINT, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text


@pytest.mark.parametrize("run_mode", [None, ""])
def test_missing_run_mode_is_refused_naming_every_mode(
    fake_python: Path, run_mode: str | None
) -> None:
    env = {"PYTHON": str(fake_python)}
    if run_mode is not None:
        env["RUN_MODE"] = run_mode
    result = run_entrypoint(env=env)
    assert result.returncode == 64
    assert "RUN_MODE is required" in result.stderr
    for mode in MODES:
        assert mode in result.stderr
    assert result.stdout == ""


def test_unknown_run_mode_is_refused_with_the_valid_modes(fake_python: Path) -> None:
    result = run_entrypoint(env={"RUN_MODE": "x", "PYTHON": str(fake_python)})
    assert result.returncode == 64
    assert result.stderr.strip() == (
        "entrypoint.sh: unknown RUN_MODE 'x'; expected one of: "
        "worker, scheduler, watchdog, console, feed-publisher-mcp, agent-outputs-mcp"
    )
    assert result.stdout == ""


def test_worker_mode_runs_the_temporal_worker_module_with_the_extra_arguments(
    fake_python: Path,
) -> None:
    argv = dispatched(fake_python, "worker", "--flag", "two words")
    assert argv == ["-m", "temporal_app.worker", "--flag", "two words"]


def test_scheduler_mode_applies_the_schedules_once_with_the_extra_arguments(
    fake_python: Path,
) -> None:
    argv = dispatched(fake_python, "scheduler", "--brand", "pomandi")
    assert argv == ["-m", "temporal_app.schedules", "--brand", "pomandi"]


def test_watchdog_mode_runs_the_watchdog_module_with_the_extra_arguments(
    fake_python: Path,
) -> None:
    argv = dispatched(fake_python, "watchdog", "--once")
    assert argv == ["-m", "feedpub_apps.watchdog", "--once"]


@pytest.mark.parametrize(("given", "listens_on"), [({}, "0.0.0.0"), ({"CONSOLE_HOST": "::"}, "::")])
def test_console_mode_serves_the_console_on_every_interface_unless_told(
    fake_python: Path, given: dict[str, str], listens_on: str
) -> None:
    env = {"RUN_MODE": "console", "PYTHON": str(fake_python), **given}
    result = run_entrypoint("--extra", env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert (seen["argv"], seen["console_host"]) == (
        ["-m", "feedpub_apps.console", "--extra"],
        listens_on,
    )


@pytest.mark.parametrize(
    ("mode", "module", "port"),
    [
        ("feed-publisher-mcp", "mcp_servers.feed_publisher", "8765"),
        ("agent-outputs-mcp", "mcp_servers.agent_outputs", "8766"),
    ],
)
def test_mcp_modes_serve_streamable_http_on_every_interface_by_default(
    fake_python: Path, mode: str, module: str, port: str
) -> None:
    argv = dispatched(fake_python, mode, "--extra")
    assert argv == [
        "-m",
        module,
        "--transport",
        "streamable-http",
        "--host",
        "0.0.0.0",
        "--port",
        port,
        "--extra",
    ]


@pytest.mark.parametrize(
    ("mode", "module"),
    [
        ("feed-publisher-mcp", "mcp_servers.feed_publisher"),
        ("agent-outputs-mcp", "mcp_servers.agent_outputs"),
    ],
)
def test_mcp_modes_take_transport_host_and_port_from_the_environment(
    fake_python: Path, mode: str, module: str
) -> None:
    argv = dispatched(
        fake_python, mode, MCP_TRANSPORT="stdio", MCP_HOST="127.0.0.1", MCP_PORT="9100"
    )
    assert argv == ["-m", module, "--transport", "stdio", "--host", "127.0.0.1", "--port", "9100"]


@pytest.mark.parametrize("mode", MODES)
def test_the_program_replaces_the_shell_so_it_receives_the_container_signals(
    fake_python: Path, mode: str
) -> None:
    result = run_entrypoint(env={"RUN_MODE": mode, "PYTHON": str(fake_python)})
    assert result.returncode == 0, result.stderr
    # With exec, the program's parent is whoever started entrypoint.sh (this test), not bash.
    assert json.loads(result.stdout)["ppid"] == os.getpid()


@pytest.mark.parametrize(
    ("mode", "usage"),
    [
        ("worker", "usage: python -m temporal_app.worker"),
        ("scheduler", "usage: python -m temporal_app.schedules [-h]"),
        ("watchdog", "usage: python -m feedpub_apps.watchdog [-h]"),
        ("console", "usage: python -m feedpub_apps.console [-h]"),
        ("feed-publisher-mcp", "usage: feed-publisher"),
        ("agent-outputs-mcp", "usage: agent-outputs"),
    ],
)
def test_each_mode_reaches_the_real_program(mode: str, usage: str) -> None:
    result = run_entrypoint("--help", env={"RUN_MODE": mode, "PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(usage)


def test_a_program_given_as_first_argument_runs_instead_of_the_service() -> None:
    # As in `docker compose run --rm agent-worker scripts/pause.sh`: the script's own usage
    # message proves it ran, and not the worker it would otherwise have started.
    result = subprocess.run(
        ["bash", str(ENTRYPOINT), "scripts/pause.sh"],
        cwd=ROOT,
        env={**os.environ, "RUN_MODE": "worker"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "usage: scripts/pause.sh BRAND [NOTE]" in result.stderr


def test_options_still_go_to_the_service() -> None:
    result = run_entrypoint("--help", env={"RUN_MODE": "worker", "PYTHON": sys.executable})
    assert result.returncode == 0 and "temporal_app.worker" in result.stdout
