"""Every entry point checks its settings before it starts anything.

Each is run as its own process, with an environment built from scratch (nothing of the
shell's leaks in), all at once. A bad setting must stop it with exit code 2 and at most three
lines, each naming the variable, no traceback, and no secret given to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from devstack.serve import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET_TOKEN = "mcp-token-d41d8cd98f00b204e9800998ecf8427e"
SHORT_TOKEN = "tok-3f9a2c"
PLACEHOLDER = "change-me-to-a-long-random-string"
"""The value of MCP_AUTH_TOKEN in .env.example."""
ANTHROPIC_KEY = "sk-ant-api03-5e6f7a8b9c0d"
TEMPORAL_KEY = "tmprl-api-key-8c1d2e3f"
DATABASE_URL = "postgresql://feedpub:pg-password-7b2c@127.0.0.1:9/feedpub"
MALFORMED_DATABASE_URL = "feedpub:pg-password-7b2c@127.0.0.1:9/feedpub"
"""No scheme: psycopg reads it as key=value pairs and fails, quoting it."""
NOTIFY_WEBHOOK = "signedhook://127.0.0.1:9/hooks/pomandi?secret=hook-secret-6a1f0c2e9b7d4e3a"
SECRETS = (
    "hook-secret-6a1f0c2e9b7d4e3a",
    SECRET_TOKEN,
    SECRET_TOKEN[::-1],
    SHORT_TOKEN,
    PLACEHOLDER,
    ANTHROPIC_KEY,
    TEMPORAL_KEY,
    "pg-password-7b2c",
)


@dataclass(frozen=True)
class Start:
    argv: list[str]
    env: dict[str, str]
    names: list[str]
    """What the lines must name: variables, or the brands file."""
    code: int = 2
    lines: int | None = None
    """How many lines stderr has: by default one per name."""


FEED_PUBLISHER = [PYTHON, "-m", "mcp_servers.feed_publisher"]
AGENT_OUTPUTS = [PYTHON, "-m", "mcp_servers.agent_outputs"]
OVER_HTTP = ["--transport", "streamable-http", "--port", "9"]
FEEDPUB = [PYTHON, "-m", "feedpub_apps.cli"]
WATCHDOG = [PYTHON, "-m", "feedpub_apps.watchdog", "--once"]
CONSOLE = [PYTHON, "-m", "feedpub_apps.console"]
DESTINATIONS = {
    "NOTIFY_TEAM_EMAIL": "mailto://127.0.0.1:9?from=feedpub@example.com&to=team@example.com",
    "NOTIFY_POMANDI_WEBHOOK": "json://127.0.0.1:9/pomandi",
    "NOTIFY_COSTUME_WEBHOOK": "json://127.0.0.1:9/costume",
}
"""The destinations the shipped brands.toml names, nowhere to be reached."""

STARTS = {
    "feed-publisher over stdio without DATABASE_URL": Start(FEED_PUBLISHER, {}, ["DATABASE_URL"]),
    "feed-publisher over HTTP with a short token and a TTL that is no number": Start(
        [*FEED_PUBLISHER, *OVER_HTTP],
        {
            "DATABASE_URL": DATABASE_URL,
            "MCP_AUTH_TOKEN": SHORT_TOKEN,
            "MEDIA_URL_TTL_SECONDS": "abc",
        },
        ["MCP_AUTH_TOKEN", "MEDIA_URL_TTL_SECONDS"],
    ),
    "agent-outputs over stdio without DATABASE_URL": Start(AGENT_OUTPUTS, {}, ["DATABASE_URL"]),
    "feed-publisher over stdio with a database that does not answer": Start(
        FEED_PUBLISHER, {"DATABASE_URL": DATABASE_URL}, ["DATABASE_URL", "port 9"], code=1, lines=1
    ),
    "agent-outputs over HTTP with the placeholder token of .env.example": Start(
        [*AGENT_OUTPUTS, *OVER_HTTP],
        {"DATABASE_URL": DATABASE_URL, "MCP_AUTH_TOKEN": PLACEHOLDER},
        ["MCP_AUTH_TOKEN", ".env.example"],
        lines=1,
    ),
    "agent-outputs over stdio without its brands file": Start(
        AGENT_OUTPUTS,
        {"DATABASE_URL": DATABASE_URL, "BRANDS_FILE": "/nonexistent/brands.toml"},
        ["/nonexistent/brands.toml"],
    ),
    "agent-outputs over HTTP without MCP_AUTH_TOKEN": Start(
        [*AGENT_OUTPUTS, *OVER_HTTP], {"DATABASE_URL": DATABASE_URL}, ["MCP_AUTH_TOKEN"]
    ),
    "worker without ANTHROPIC_API_KEY, with a bad metrics address and no brands file": Start(
        [PYTHON, "-m", "temporal_app.worker"],
        {
            "MCP_AUTH_TOKEN": SECRET_TOKEN,
            "METRICS_BIND_ADDRESS": "nonsense",
            "BRANDS_FILE": "/nonexistent/brands.toml",
        },
        ["ANTHROPIC_API_KEY", "METRICS_BIND_ADDRESS", "/nonexistent/brands.toml"],
    ),
    "worker with a destination brands.toml names unset and a console address that is no URL": Start(
        [PYTHON, "-m", "temporal_app.worker"],
        {
            "MCP_AUTH_TOKEN": SECRET_TOKEN,
            "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
            "CONSOLE_PUBLIC_URL": "console.feedpub.example",
            "NOTIFY_TEAM_EMAIL": "mailto://127.0.0.1:2525?from=feedpub@example.com&to=team@example.com",
            "NOTIFY_POMANDI_WEBHOOK": NOTIFY_WEBHOOK,
        },
        ["CONSOLE_PUBLIC_URL", "NOTIFY_COSTUME_WEBHOOK"],
    ),
    "scheduler with TEMPORAL_TLS that is no yes or no": Start(
        [PYTHON, "-m", "temporal_app.schedules"],
        {"TEMPORAL_TLS": "maybe", "TEMPORAL_API_KEY": TEMPORAL_KEY},
        ["TEMPORAL_TLS"],
    ),
    "scheduler with a Temporal that does not answer": Start(
        [PYTHON, "-m", "temporal_app.schedules"],
        {"TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}", "TEMPORAL_API_KEY": TEMPORAL_KEY},
        ["TEMPORAL_ADDRESS", "TLS on"],
        code=1,
        lines=1,
    ),
    "watchdog without MCP_NOTIFY_TOKEN": Start(WATCHDOG, DESTINATIONS, ["MCP_NOTIFY_TOKEN"]),
    "watchdog without the destinations brands.toml names": Start(
        WATCHDOG,
        {"MCP_NOTIFY_TOKEN": SECRET_TOKEN},
        ["NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK", "NOTIFY_COSTUME_WEBHOOK"],
    ),
    "console with only its read token": Start(
        CONSOLE,
        {"MCP_READ_TOKEN": SECRET_TOKEN},
        ["CONSOLE_DATABASE_URL", "CONSOLE_SECRET_KEY", "CONSOLE_LINK_SECRET"],
    ),
    "console with a short link secret and no read token": Start(
        CONSOLE,
        {
            "CONSOLE_DATABASE_URL": DATABASE_URL,
            "CONSOLE_SECRET_KEY": SECRET_TOKEN,
            "CONSOLE_LINK_SECRET": SHORT_TOKEN,
        },
        ["CONSOLE_LINK_SECRET", "MCP_READ_TOKEN"],
    ),
    "console with a database that does not answer": Start(
        CONSOLE,
        {
            "CONSOLE_DATABASE_URL": DATABASE_URL,
            "CONSOLE_SECRET_KEY": SECRET_TOKEN,
            "CONSOLE_LINK_SECRET": SECRET_TOKEN[::-1],
            "MCP_READ_TOKEN": SECRET_TOKEN,
        },
        ["CONSOLE_DATABASE_URL", "port 9"],
        code=1,
        lines=1,
    ),
    # psycopg quotes the part of an address it cannot read: here, the password.
    "console with a database address psycopg cannot read": Start(
        CONSOLE,
        {
            "CONSOLE_DATABASE_URL": MALFORMED_DATABASE_URL,
            "CONSOLE_SECRET_KEY": SECRET_TOKEN,
            "CONSOLE_LINK_SECRET": SECRET_TOKEN[::-1],
            "MCP_READ_TOKEN": SECRET_TOKEN,
        },
        ["CONSOLE_DATABASE_URL"],
    ),
    "feed-publisher over stdio with a database address psycopg cannot read": Start(
        FEED_PUBLISHER, {"DATABASE_URL": MALFORMED_DATABASE_URL}, ["DATABASE_URL"]
    ),
    "feedpub users without the console's database": Start(
        [*FEEDPUB, "users", "list"], {}, ["CONSOLE_DATABASE_URL"]
    ),
    "feedpub reports without a token": Start([*FEEDPUB, "reports"], {}, ["MCP_READ_TOKEN"]),
    "feedpub alerts without a token": Start([*FEEDPUB, "alerts"], {}, ["MCP_READ_TOKEN"]),
    "feedpub schedules list with TEMPORAL_TLS that is no yes or no": Start(
        [*FEEDPUB, "schedules", "list"], {"TEMPORAL_TLS": "maybe"}, ["TEMPORAL_TLS"]
    ),
}


def minimal_env(extra: dict[str, str]) -> dict[str, str]:
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**kept, "BRANDS_FILE": str(ROOT / "brands.toml"), **extra}


@pytest.fixture(scope="module")
def refusals() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every start in ``STARTS``, run side by side."""

    def start(how: Start) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            how.argv,
            env=minimal_env(how.env),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=len(STARTS)) as pool:
        running = {name: pool.submit(start, how) for name, how in STARTS.items()}
        return {name: future.result() for name, future in running.items()}


@pytest.mark.parametrize("case", STARTS)
def test_a_bad_setting_stops_the_process_with_a_line_naming_it(
    refusals: dict[str, subprocess.CompletedProcess[str]], case: str
) -> None:
    expected, result = STARTS[case], refusals[case]
    lines = result.stderr.splitlines()

    assert result.returncode == expected.code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == (expected.lines or len(expected.names)) <= 3, result.stderr
    for name in expected.names:
        assert name in result.stderr
    for secret in SECRETS:
        assert secret not in result.stderr + result.stdout
