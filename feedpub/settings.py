"""Settings from the environment, one typed object per process, validated at start-up.

Each process reads only what it needs: the worker never sees a Meta token or the database
password; the MCP servers never see the Anthropic key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from ._settings_problems import HOST_PORT, MODEL_ID, WEB_ADDRESS, describe_problem
from ._tokens import BearerToken, host_names

__all__ = [
    "AgentOutputsSettings",
    "BrandsFileSettings",
    "FeedPublisherSettings",
    "McpHttpSettings",
    "SettingsError",
    "TemporalSettings",
    "WatchdogSettings",
    "WorkerSettings",
    "load_settings",
]


class SettingsError(Exception):
    """The environment does not hold a valid configuration.

    ``problems`` has one line per bad variable, naming it; no line shows a value.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class BrandsFileSettings(BaseSettings):
    """Where the brands file is; every process reads it."""

    # An empty variable (``ANTHROPIC_BASE_URL=`` in a copied .env.example) means "not set".
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False, env_ignore_empty=True)

    brands_file: Path = Field(default=Path("brands.toml"), alias="BRANDS_FILE")
    """Path of the brands file (brand, language, posting times, Meta ids, token variable)."""


class TemporalSettings(BrandsFileSettings):
    """Where Temporal is and how to reach it: the worker, the scheduler and the CLI."""

    temporal_address: str = Field(default="localhost:7233", alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", alias="TEMPORAL_NAMESPACE")
    temporal_task_queue: str = Field(default="agent-tasks", alias="TEMPORAL_TASK_QUEUE")
    temporal_api_key: SecretStr | None = Field(default=None, alias="TEMPORAL_API_KEY")
    """Temporal Cloud's API key; turns TLS on."""
    temporal_tls: bool = Field(default=False, alias="TEMPORAL_TLS")

    @property
    def tls(self) -> bool:
        return self.temporal_tls or self.temporal_api_key is not None


class WorkerSettings(TemporalSettings):
    """The Temporal worker: Temporal, the two MCP servers, Claude."""

    feed_publisher_mcp_url: str = Field(
        default="http://127.0.0.1:8765/mcp", alias="FEED_PUBLISHER_MCP_URL"
    )
    agent_outputs_mcp_url: str = Field(
        default="http://127.0.0.1:8766/mcp", alias="AGENT_OUTPUTS_MCP_URL"
    )
    mcp_auth_token: BearerToken = Field(alias="MCP_AUTH_TOKEN")
    """The publish token: the worker calls every tool of both MCP servers."""
    anthropic_api_key: SecretStr = Field(alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, alias="ANTHROPIC_BASE_URL")
    claude_model: str = Field(default="claude-sonnet-5-5", alias="CLAUDE_MODEL")
    claude_traits_model: str = Field(
        default="claude-haiku-5-5", pattern=MODEL_ID, alias="CLAUDE_TRAITS_MODEL"
    )
    """The short look at unused photos that says what each shows: the cheapest capable model."""
    langfuse_public_key: str | None = Field(default=None, alias="LANGFUSE_PUBLIC_KEY")
    langfuse_secret_key: SecretStr | None = Field(default=None, alias="LANGFUSE_SECRET_KEY")
    langfuse_base_url: str = Field(
        default="https://cloud.langfuse.com",
        validation_alias=AliasChoices("LANGFUSE_BASE_URL", "LANGFUSE_HOST"),
    )
    metrics_bind_address: str | None = Field(
        default=None, pattern=HOST_PORT, alias="METRICS_BIND_ADDRESS"
    )
    """``host:port`` of the Prometheus endpoint (``/metrics``); off when unset."""
    health_bind_address: str | None = Field(
        default=None, pattern=HOST_PORT, alias="HEALTH_BIND_ADDRESS"
    )
    """``host:port`` of ``GET /healthz``; off when unset."""
    console_public_url: str | None = Field(
        default=None, pattern=WEB_ADDRESS, alias="CONSOLE_PUBLIC_URL"
    )
    """Where people open the console: messages link to its pages (no link when unset)."""
    console_link_secret: BearerToken | None = Field(default=None, alias="CONSOLE_LINK_SECRET")
    """Signs the approval links of "approval waiting" messages; the console holds the same to
    read them. Unset: the link opens the approval page behind the console's login."""
    notice_send_timeout_seconds: float = Field(
        default=20.0, gt=0, le=60, alias="NOTICE_SEND_TIMEOUT_SECONDS"
    )
    """How long a message may take to reach one destination before it counts as lost."""


class WatchdogSettings(TemporalSettings):
    """The watchdog (``RUN_MODE=watchdog``): Temporal, the agent-outputs server, the messages.

    It never needs the worker: it reads the schedules from Temporal and the reports and claims
    from agent-outputs, and sends the messages itself. The destinations' URLs are read from the
    ``NOTIFY_*`` variables the brands file names.
    """

    agent_outputs_mcp_url: str = Field(
        default="http://127.0.0.1:8766/mcp", alias="AGENT_OUTPUTS_MCP_URL"
    )
    mcp_notify_token: BearerToken = Field(alias="MCP_NOTIFY_TOKEN")
    """The notify token: reads reports, claims and records notices; never publishes."""
    console_public_url: str | None = Field(
        default=None, pattern=WEB_ADDRESS, alias="CONSOLE_PUBLIC_URL"
    )
    """Where the console is served; messages link to its pages (no links when unset)."""
    watchdog_interval_seconds: int = Field(
        default=300, ge=10, le=3600, alias="WATCHDOG_INTERVAL_SECONDS"
    )
    """Seconds between two rounds of checks."""


class FeedPublisherSettings(BrandsFileSettings):
    """The feed-publisher MCP server: S3, the photo ledger, Meta."""

    database_url: SecretStr = Field(alias="DATABASE_URL")
    s3_bucket: str = Field(default="feedpub-photos", alias="S3_BUCKET")
    aws_endpoint_url: str | None = Field(default=None, alias="AWS_ENDPOINT_URL")
    aws_region: str = Field(
        default="eu-west-1", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )
    meta_graph_url: str = Field(default="https://graph.facebook.com", alias="META_GRAPH_URL")
    meta_graph_version: str = Field(default="v26.0", alias="META_GRAPH_VERSION")
    media_url_ttl_seconds: int = Field(default=3600, ge=60, le=86400, alias="MEDIA_URL_TTL_SECONDS")
    max_photo_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1024 * 1024, le=200 * 1024 * 1024, alias="MAX_PHOTO_BYTES"
    )
    """A photo file larger than this is refused before it is read (default 50 MiB)."""


class AgentOutputsSettings(BrandsFileSettings):
    """The agent-outputs MCP server: publication reports in PostgreSQL."""

    database_url: SecretStr = Field(alias="DATABASE_URL")


class McpHttpSettings(BrandsFileSettings):
    """What an MCP server needs on top of its own settings to serve over streamable HTTP."""

    mcp_auth_token: BearerToken = Field(alias="MCP_AUTH_TOKEN")
    """The publish token: it may call every tool (the worker holds it)."""
    mcp_read_token: BearerToken | None = Field(default=None, alias="MCP_READ_TOKEN")
    """The read token: it may call only the tools that list and read (reports, alerts)."""
    mcp_notify_token: BearerToken | None = Field(default=None, alias="MCP_NOTIFY_TOKEN")
    """The notify token: the tools that list and read, and the notice tools (claim a notice,
    close its window, record its delivery); never publish. For a process that tells teams
    from outside the worker (the watchdog)."""
    mcp_host: str = Field(default="127.0.0.1", alias="MCP_HOST")
    mcp_port: int = Field(default=8765, ge=1, le=65535, alias="MCP_PORT")
    mcp_allowed_hosts: str | None = Field(default=None, alias="MCP_ALLOWED_HOSTS")
    """Comma-separated ``host`` or ``host:port`` names requests may be addressed to; turns the
    DNS-rebinding check on for any listen address."""

    @field_validator("mcp_read_token")
    @classmethod
    def _read_token_is_not_the_publish_token(
        cls, token: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        publish = info.data.get("mcp_auth_token")
        if token is not None and publish is not None and token == publish:
            raise ValueError("must differ from MCP_AUTH_TOKEN, or it could publish")
        return token

    @field_validator("mcp_notify_token")
    @classmethod
    def _notify_token_is_its_own(
        cls, token: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        if token is None:
            return token
        if token == info.data.get("mcp_auth_token"):
            raise ValueError("must differ from MCP_AUTH_TOKEN, or it could publish")
        if token == info.data.get("mcp_read_token"):
            raise ValueError("must differ from MCP_READ_TOKEN, or a reader could claim notices")
        return token

    @field_validator("mcp_allowed_hosts")
    @classmethod
    def _host_names(cls, value: str | None) -> str | None:
        host_names(value)
        return value

    @property
    def allowed_hosts(self) -> list[str]:
        """The names of ``MCP_ALLOWED_HOSTS``; empty when it is not set."""
        return host_names(self.mcp_allowed_hosts)


_S = TypeVar("_S", bound=BaseSettings)


def load_settings(cls: type[_S]) -> _S:
    """Read ``cls`` from the environment, or raise SettingsError naming every bad variable."""
    try:
        return cls()
    except ValidationError as exc:
        raise SettingsError([describe_problem(error) for error in exc.errors()]) from None
