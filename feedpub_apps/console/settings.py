"""The console's settings, read from the environment and checked before it starts."""

from __future__ import annotations

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from feedpub._settings_problems import WEB_ADDRESS
from feedpub._tokens import BearerToken
from feedpub.settings import TemporalSettings

__all__ = ["ConsoleSettings"]


class ConsoleSettings(TemporalSettings):
    """The console (``RUN_MODE=console``): its database role, its keys, Temporal, the MCP
    servers (read token only), the brands file."""

    console_database_url: SecretStr = Field(alias="CONSOLE_DATABASE_URL")
    """A login of the ``feedpub_console`` role: the ``console`` schema and nothing else."""
    console_secret_key: BearerToken = Field(alias="CONSOLE_SECRET_KEY")
    """Signs the session cookies and the CSRF tokens."""
    console_link_secret: BearerToken = Field(alias="CONSOLE_LINK_SECRET")
    """Signs the approval links (the worker's messages carry them); shared with the worker."""
    console_public_url: str | None = Field(
        default=None, pattern=WEB_ADDRESS, alias="CONSOLE_PUBLIC_URL"
    )
    """Where people open the console; an https address makes every cookie Secure."""
    console_host: str = Field(default="127.0.0.1", alias="CONSOLE_HOST")
    console_port: int = Field(default=8000, ge=1, le=65535, alias="CONSOLE_PORT")
    feed_publisher_mcp_url: str = Field(
        default="http://127.0.0.1:8765/mcp", alias="FEED_PUBLISHER_MCP_URL"
    )
    agent_outputs_mcp_url: str = Field(
        default="http://127.0.0.1:8766/mcp", alias="AGENT_OUTPUTS_MCP_URL"
    )
    mcp_read_token: BearerToken = Field(alias="MCP_READ_TOKEN")
    """The read token: the console lists and reads through the MCP servers, never publishes
    (decisions go to the runs through Temporal)."""

    @field_validator("console_link_secret")
    @classmethod
    def _link_secret_is_its_own(cls, secret: SecretStr, info: ValidationInfo) -> SecretStr:
        if secret == info.data.get("console_secret_key"):
            raise ValueError("must differ from CONSOLE_SECRET_KEY")
        return secret

    @property
    def https(self) -> bool:
        """Served to people over TLS (behind a proxy that ends it): cookies are Secure."""
        return (self.console_public_url or "").startswith("https://")
