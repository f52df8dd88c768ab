"""Settings from the environment: defaults, named variables in errors, secrets kept secret."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr
from pydantic_core import ErrorDetails

from feedpub._settings_problems import describe_problem
from feedpub.settings import (
    AgentOutputsSettings,
    FeedPublisherSettings,
    SettingsError,
    WatchdogSettings,
    WorkerSettings,
    load_settings,
)

MCP_TOKEN = "mcp-token-7f3a9c0d1e2f3a4b5c6d7e8f"
ANTHROPIC_KEY = "sk-ant-api03-secret-0b1c2d"
DATABASE_URL = "postgresql://feedpub:pg-password-5e6f@db.internal:5432/feedpub"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every variable the settings read, so the machine's own environment cannot leak in."""
    names: set[str] = set()
    for cls in (WorkerSettings, FeedPublisherSettings, AgentOutputsSettings, WatchdogSettings):
        for field in cls.model_fields.values():
            if field.alias:
                names.add(field.alias.upper())
            choices = getattr(field.validation_alias, "choices", [])
            names.update(str(choice).upper() for choice in choices)
    for variable in list(os.environ):
        if variable.upper() in names:
            monkeypatch.delenv(variable)


def test_worker_settings_default_to_the_agent_tasks_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", MCP_TOKEN)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)

    settings = load_settings(WorkerSettings)

    assert settings.temporal_task_queue == "agent-tasks"
    assert settings.temporal_address == "localhost:7233"
    assert settings.temporal_namespace == "default"
    assert settings.brands_file == Path("brands.toml")
    assert settings.anthropic_base_url is None


def test_worker_settings_take_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", MCP_TOKEN)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    monkeypatch.setenv("TEMPORAL_TASK_QUEUE", "feedpub-staging")
    monkeypatch.setenv("BRANDS_FILE", "/etc/feedpub/brands.toml")
    monkeypatch.setenv("CLAUDE_MODEL", "claude-haiku-5-5")

    settings = load_settings(WorkerSettings)

    assert settings.temporal_task_queue == "feedpub-staging"
    assert settings.brands_file == Path("/etc/feedpub/brands.toml")
    assert settings.claude_model == "claude-haiku-5-5"


def test_secrets_are_typed_as_secrets_and_readable_on_purpose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", MCP_TOKEN)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)

    settings = load_settings(WorkerSettings)

    assert isinstance(settings.mcp_auth_token, SecretStr)
    assert isinstance(settings.anthropic_api_key, SecretStr)
    assert settings.mcp_auth_token.get_secret_value() == MCP_TOKEN
    assert settings.anthropic_api_key.get_secret_value() == ANTHROPIC_KEY


def test_printing_the_settings_does_not_reveal_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", MCP_TOKEN)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)

    settings = load_settings(WorkerSettings)

    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert MCP_TOKEN not in shown
        assert ANTHROPIC_KEY not in shown
        assert "**********" in shown


def test_the_database_password_is_not_printed_with_the_feed_publisher_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)

    settings = load_settings(FeedPublisherSettings)

    assert "pg-password-5e6f" not in repr(settings)
    assert settings.database_url.get_secret_value() == DATABASE_URL


@pytest.mark.parametrize(
    ("missing", "present", "secret"),
    [
        ("MCP_AUTH_TOKEN", "ANTHROPIC_API_KEY", ANTHROPIC_KEY),
        ("ANTHROPIC_API_KEY", "MCP_AUTH_TOKEN", MCP_TOKEN),
    ],
)
def test_a_missing_worker_secret_is_named_without_revealing_the_other(
    monkeypatch: pytest.MonkeyPatch, missing: str, present: str, secret: str
) -> None:
    monkeypatch.setenv(present, secret)

    with pytest.raises(SettingsError) as caught:
        load_settings(WorkerSettings)

    message = str(caught.value)
    assert caught.value.problems == [f"{missing} is not set; it is required (see .env.example)"]
    assert present not in message
    assert secret not in message


def test_every_missing_variable_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(WorkerSettings)

    assert "MCP_AUTH_TOKEN" in str(caught.value)
    assert "ANTHROPIC_API_KEY" in str(caught.value)


@pytest.mark.parametrize("value", ["an hour", "30", "90000"])
def test_a_bad_value_is_named_without_echoing_the_database_url(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("MEDIA_URL_TTL_SECONDS", value)

    with pytest.raises(SettingsError) as caught:
        load_settings(FeedPublisherSettings)

    message = str(caught.value)
    assert "MEDIA_URL_TTL_SECONDS" in message
    assert "DATABASE_URL" not in message
    assert "pg-password-5e6f" not in message


@pytest.mark.parametrize(
    ("settings", "variable", "value", "problem"),
    [
        (
            WorkerSettings,
            "METRICS_BIND_ADDRESS",
            "nonsense",
            "must be host:port, e.g. 0.0.0.0:9464",
        ),
        (WorkerSettings, "TEMPORAL_TLS", "maybe", "must be true or false"),
        (WorkerSettings, "MCP_AUTH_TOKEN", "short-secret", "must be at least 32 characters"),
        (FeedPublisherSettings, "MEDIA_URL_TTL_SECONDS", "abc", "must be a whole number"),
        (FeedPublisherSettings, "MEDIA_URL_TTL_SECONDS", "30", "must be at least 60"),
        (FeedPublisherSettings, "MEDIA_URL_TTL_SECONDS", "90000", "must be at most 86400"),
        (WatchdogSettings, "WATCHDOG_INTERVAL_SECONDS", "5", "must be at least 10"),
        (
            WatchdogSettings,
            "CONSOLE_PUBLIC_URL",
            "console.internal",
            "must be an http:// or https:// address, e.g. https://feedpub.example",
        ),
    ],
)
def test_a_malformed_value_is_one_line_naming_the_variable_and_not_the_value(
    monkeypatch: pytest.MonkeyPatch,
    settings: type[WorkerSettings] | type[FeedPublisherSettings] | type[WatchdogSettings],
    variable: str,
    value: str,
    problem: str,
) -> None:
    for name, secret in (
        ("MCP_AUTH_TOKEN", MCP_TOKEN),
        ("ANTHROPIC_API_KEY", ANTHROPIC_KEY),
        ("DATABASE_URL", DATABASE_URL),
        ("MCP_NOTIFY_TOKEN", MCP_TOKEN),
    ):
        monkeypatch.setenv(name, secret)
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError) as caught:
        load_settings(settings)

    assert caught.value.problems == [f"{variable} {problem}"]
    assert value not in str(caught.value)


def test_the_watchdog_needs_the_notify_token_and_checks_every_five_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(WatchdogSettings)
    assert caught.value.problems == [
        "MCP_NOTIFY_TOKEN is not set; it is required (see .env.example)"
    ]

    monkeypatch.setenv("MCP_NOTIFY_TOKEN", MCP_TOKEN)
    settings = load_settings(WatchdogSettings)
    assert settings.watchdog_interval_seconds == 300
    assert settings.agent_outputs_mcp_url == "http://127.0.0.1:8766/mcp"
    assert MCP_TOKEN not in repr(settings)


def test_pydantic_words_that_quote_the_value_are_not_shown() -> None:
    error: ErrorDetails = {
        "type": "value_error",
        "loc": ("LANGFUSE_SECRET_KEY",),
        "msg": "Value error, 'sk-lf-0a1b2c3d' is not a Langfuse key",
        "input": SecretStr("sk-lf-0a1b2c3d"),
    }

    assert describe_problem(error) == "LANGFUSE_SECRET_KEY is not valid"


def test_the_aws_region_is_read_from_either_conventional_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")

    assert load_settings(FeedPublisherSettings).aws_region == "eu-central-1"


def test_the_agent_outputs_server_needs_only_the_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)

    settings = load_settings(AgentOutputsSettings)

    assert not hasattr(settings, "anthropic_api_key")
    assert ANTHROPIC_KEY not in repr(settings)
