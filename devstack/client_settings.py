"""How a client (``feedpub``, the ``temporal`` CLI, scripts) reaches a running embedded stack.

While the stack stays up its client settings are in a file private to the user
(``feedpub_apps.dev_settings``), which ``feedpub`` reads in any terminal. What is printed names
that file, never the token in it: a console's output often ends up in a log others can read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from feedpub_apps.dev_settings import remove_dev_settings, write_dev_settings

from .stack import EmbeddedStack

__all__ = ["client_env", "published_client_settings", "second_terminal"]


def client_env(stack: EmbeddedStack) -> dict[str, str]:
    """The variables a client on this machine needs to use ``stack``."""
    values = {
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "TEMPORAL_NAMESPACE": "default",
        "TEMPORAL_TASK_QUEUE": stack.options.task_queue,
        "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
        "AGENT_OUTPUTS_MCP_URL": stack.mcp_urls["agent-outputs"],
        # Reading commands use the read token; the publish token is for operator actions
        # (``feedpub photos readmit``) by the user who started the stack and its worker.
        "MCP_READ_TOKEN": stack.mcp_read_token,
        "MCP_AUTH_TOKEN": stack.mcp_token,
        "BRANDS_FILE": str(stack.options.brands_file.resolve()),
        # For `feedpub notify test BRAND`: the stack's stand-ins for the brands' destinations.
        **stack.notify_env,
    }
    if stack.temporal_ui_url:
        values["TEMPORAL_UI_URL"] = stack.temporal_ui_url
    if stack.console_database_url:
        # For `feedpub users`: the console's role, which reaches the console schema alone.
        values["CONSOLE_DATABASE_URL"] = stack.console_database_url
    return values


@contextmanager
def published_client_settings(stack: EmbeddedStack) -> Iterator[Path | None]:
    """The settings file for as long as the block runs; None when it cannot be written."""
    try:
        path = write_dev_settings(client_env(stack))
    except OSError as exc:
        print(f"client settings not written, feedpub will need them exported: {exc}", flush=True)
        yield None
        return
    try:
        yield path
    finally:
        remove_dev_settings()


def second_terminal(stack: EmbeddedStack, settings: Path | None) -> list[str]:
    """What to type in another terminal to use the stack."""
    if settings is None:
        return [
            "In another terminal (commands that read reports also need MCP_READ_TOKEN):",
            f"   export TEMPORAL_ADDRESS={stack.temporal_address}",
            "   .venv/bin/feedpub run costume --wait",
        ]
    return [
        f"In another terminal feedpub finds this stack (its settings are in {settings}):",
        "   .venv/bin/feedpub run costume --wait",
        "   .venv/bin/feedpub reports html      # then open feedpub-reports/index.html",
        "   scripts/list.sh   scripts/trigger.sh pomandi",
        "   .venv/bin/feedpub notify test pomandi   # to the stack's inbox, shown here",
        "Other tools (the temporal CLI, curl) take the same settings from the file:",
        f"   source {settings}",
        "   temporal schedule list --address $TEMPORAL_ADDRESS",
    ]
