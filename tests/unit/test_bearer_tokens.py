"""The bearer tokens between our processes: long enough, never the example's placeholder, a
read token that cannot publish; and the host names an MCP server answers to."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from feedpub.settings import McpHttpSettings, SettingsError, WorkerSettings, load_settings

ROOT = Path(__file__).resolve().parents[2]
ANTHROPIC_KEY = "sk-ant-api03-secret-0b1c2d"


def example_value(name: str) -> str:
    """What ``.env.example`` gives ``name``: what a copied example file would set."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith(f"{name}="))


@pytest.fixture(autouse=True)
def worker_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MCP_AUTH_TOKEN", "MCP_READ_TOKEN", "MCP_NOTIFY_TOKEN", "MCP_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)


def problems(settings: type[WorkerSettings | McpHttpSettings]) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(settings)
    return caught.value.problems


@pytest.mark.parametrize("settings", [WorkerSettings, McpHttpSettings])
def test_a_token_of_31_characters_is_refused_and_one_of_32_taken(
    monkeypatch: pytest.MonkeyPatch, settings: type[WorkerSettings | McpHttpSettings]
) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", "k" * 31)
    assert problems(settings) == ["MCP_AUTH_TOKEN must be at least 32 characters"]

    generated = secrets.token_urlsafe(24)  # what the dev stack and the tests hand out
    monkeypatch.setenv("MCP_AUTH_TOKEN", generated)
    assert load_settings(settings).mcp_auth_token.get_secret_value() == generated


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        (WorkerSettings, "MCP_AUTH_TOKEN"),
        (McpHttpSettings, "MCP_AUTH_TOKEN"),
        (McpHttpSettings, "MCP_READ_TOKEN"),
        (McpHttpSettings, "MCP_NOTIFY_TOKEN"),
    ],
)
def test_the_placeholder_of_the_example_file_is_refused_without_being_shown(
    monkeypatch: pytest.MonkeyPatch,
    settings: type[WorkerSettings | McpHttpSettings],
    variable: str,
) -> None:
    placeholder = example_value(variable)
    assert len(placeholder) >= 32, "long enough: the length alone would let it through"
    monkeypatch.setenv("MCP_AUTH_TOKEN", secrets.token_urlsafe(24))
    monkeypatch.setenv(variable, placeholder)

    found = problems(settings)

    assert len(found) == 1 and found[0].startswith(f"{variable} is the placeholder from .env")
    assert "secrets.token_urlsafe(32)" in found[0]
    assert placeholder not in str(found)


def test_a_read_token_equal_to_the_publish_token_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = secrets.token_urlsafe(24)
    monkeypatch.setenv("MCP_AUTH_TOKEN", token)
    monkeypatch.setenv("MCP_READ_TOKEN", token)

    assert problems(McpHttpSettings) == [
        "MCP_READ_TOKEN must differ from MCP_AUTH_TOKEN, or it could publish"
    ]


@pytest.mark.parametrize(
    ("same_as", "problem"),
    [
        ("MCP_AUTH_TOKEN", "MCP_NOTIFY_TOKEN must differ from MCP_AUTH_TOKEN, or it could publish"),
        (
            "MCP_READ_TOKEN",
            "MCP_NOTIFY_TOKEN must differ from MCP_READ_TOKEN, or a reader could claim notices",
        ),
    ],
)
def test_a_notify_token_equal_to_another_token_is_refused(
    monkeypatch: pytest.MonkeyPatch, same_as: str, problem: str
) -> None:
    tokens = {name: secrets.token_urlsafe(24) for name in ("MCP_AUTH_TOKEN", "MCP_READ_TOKEN")}
    for name, token in tokens.items():
        monkeypatch.setenv(name, token)
    monkeypatch.setenv("MCP_NOTIFY_TOKEN", secrets.token_urlsafe(24))
    assert load_settings(McpHttpSettings).mcp_notify_token is not None

    monkeypatch.setenv("MCP_NOTIFY_TOKEN", tokens[same_as])

    assert problems(McpHttpSettings) == [problem]


def test_allowed_hosts_are_names_with_an_optional_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", secrets.token_urlsafe(24))
    monkeypatch.setenv("MCP_ALLOWED_HOSTS", " feed-publisher-mcp, mcp.example.org:443 ,[::1]:*")
    assert load_settings(McpHttpSettings).allowed_hosts == [
        "feed-publisher-mcp",
        "mcp.example.org:443",
        "[::1]:*",
    ]

    monkeypatch.setenv("MCP_ALLOWED_HOSTS", "feed-publisher-mcp, http://evil.example/")
    assert [line.split()[0] for line in problems(McpHttpSettings)] == ["MCP_ALLOWED_HOSTS"]
