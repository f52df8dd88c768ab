"""The embedded stack: every part feedpub needs, on this machine, with no accounts.

Each part switches to the real service when its variable is set: ``DATABASE_URL``,
``AWS_ENDPOINT_URL`` (or real AWS credentials), ``META_GRAPH_URL`` (with the brands' token
variables), ``ANTHROPIC_API_KEY``. Everything started here is stopped by ``stop()``.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings

from feedpub.brands import Brand, load_brands
from feedpub.settings import WorkerSettings
from feedpub_apps.console.settings import ConsoleSettings

from .anthropic_emulator import AnthropicEmulator
from .console import give_console_login, prepare_console_role
from .destinations import local_destinations
from .inbox import Inbox
from .meta_emulator import MetaEmulator
from .parts import ROLE, seed_photos, start_postgres, start_s3, start_temporal
from .processes import ChildProcess
from .proxy import RoundRobinProxy
from .serve import ServedApp, free_port, serve_in_thread
from .signals import stops_held

__all__ = ["EmbeddedStack", "StackOptions"]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class StackOptions:
    brands_file: Path = ROOT / "brands.toml"
    photos_dir: Path | None = ROOT / "examples" / "photos"
    workdir: Path | None = None
    """Where data and logs go; a fresh temporary folder if None."""
    temporal_port: int | None = None
    """Temporal's gRPC port; a free one if None."""
    temporal_ui_port: int | None = None
    """Serve the Temporal UI on this port; headless if None."""
    task_queue: str = "agent-tasks"
    replicas: int = 1
    """Processes of each MCP server; more than one are served behind a round-robin proxy."""
    claude_batch_delay_seconds: float | None = None
    """The Anthropic emulator ends every Message Batch this long after its creation; None
    draws each delay as real batches take (most within 30 minutes of the emulator's clock)."""
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def __post_init__(self) -> None:
        if self.replicas < 1:
            raise ValueError(f"replicas must be 1 or more, not {self.replicas}")


class EmbeddedStack:
    """Start with ``start()``; read the addresses from the attributes; ``stop()`` at the end."""

    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self.brands: dict[str, Brand] = load_brands(self.options.brands_file)
        self.workdir = self.options.workdir or Path(tempfile.mkdtemp(prefix="feedpub-stack-"))
        self.mcp_token = secrets.token_urlsafe(24)
        """The publish token: the worker's."""
        self.mcp_read_token = secrets.token_urlsafe(24)
        """The read token: for clients that only list and read (reports, alerts)."""
        self.mcp_notify_token = secrets.token_urlsafe(24)
        """The notify token: reads, and claims and records notices (the watchdog's)."""
        self.console_link_secret = secrets.token_urlsafe(32)
        """``CONSOLE_LINK_SECRET``: the worker signs approval links with it, the console reads
        them with it."""
        self._database_password = secrets.token_urlsafe(24)
        self._console_password = secrets.token_urlsafe(24)
        self.console_database_url: str | None = self.options.env.get("CONSOLE_DATABASE_URL")
        """The console role's login (the embedded database's, or ``CONSOLE_DATABASE_URL``);
        None against an outside database without it: no console then."""
        self.console_secret_key = secrets.token_urlsafe(32)
        """Signs the console's cookies and CSRF tokens."""
        self.meta_tokens: dict[str, str] = {}
        self.children: dict[str, ChildProcess] = {}
        self.served: list[ServedApp] = []
        self.proxies: dict[str, RoundRobinProxy] = {}
        """The round-robin proxy in front of each MCP server's replicas (with replicas > 1)."""
        self._closers: list[object] = []
        self.meta: MetaEmulator | None = None
        self._postgres: Any = None
        self.claude: AnthropicEmulator | None = None
        self.inbox = Inbox()
        """The SMTP server and webhook receiver the brands' destinations point at."""
        self.notify_env: dict[str, str] = {}
        """The ``NOTIFY_*`` variables the brands name: the inbox's, or the environment's."""

    # -- start -------------------------------------------------------------------------------
    def start(self) -> EmbeddedStack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        env = self.options.env
        self._closers.append(self.inbox.start())
        self.notify_env = local_destinations(self.inbox, self.brands, env)
        temporal, self.temporal_address, self.temporal_ui_url = start_temporal(
            BIN / "temporal",
            self.workdir,
            port=self.options.temporal_port,
            ui_port=self.options.temporal_ui_port,
        )
        self.children["temporal"] = temporal
        with stops_held():  # a daemon: a stop must find it recorded in self._postgres
            self.database_url, self._postgres = start_postgres(
                env.get("DATABASE_URL"), self.workdir / "pgdata", password=self._database_password
            )
        if self._postgres is not None:
            prepare_console_role(self._postgres, self.workdir / "pgdata")
        self.s3_env, moto = start_s3(env)
        self._closers.append(moto)
        seed_photos(self.s3_env, self.brands, self.options.photos_dir)
        self._start_meta(env)
        self._start_claude(env)
        self._start_mcp_servers(env)
        if self._postgres is not None:  # the servers have applied the migrations
            self.console_database_url = give_console_login(
                self._postgres, self._console_password, ROLE
            )

    def _start_meta(self, env: dict[str, str]) -> None:
        if env.get("META_GRAPH_URL"):
            self.meta_graph_url = env["META_GRAPH_URL"]
            self.meta_tokens = {
                b.meta_token_env: env.get(b.meta_token_env, "") for b in self.brands.values()
            }
            return
        self.meta = MetaEmulator()
        for brand in self.brands.values():
            token = f"EAAG{secrets.token_urlsafe(32)}"
            self.meta.add_page(brand.facebook_page_id, token)
            self.meta.add_instagram_user(brand.instagram_user_id, token)
            self.meta_tokens[brand.meta_token_env] = token
        served = serve_in_thread(self.meta.app)
        self.served.append(served)
        self.meta_graph_url = served.url

    def _start_claude(self, env: dict[str, str]) -> None:
        if env.get("ANTHROPIC_API_KEY"):
            self.anthropic_api_key = env["ANTHROPIC_API_KEY"]
            self.anthropic_base_url: str | None = env.get("ANTHROPIC_BASE_URL")
            return
        self.anthropic_api_key = f"sk-ant-emulator-{secrets.token_urlsafe(24)}"
        self.claude = AnthropicEmulator(
            api_key=self.anthropic_api_key,
            batch_delay_seconds=self.options.claude_batch_delay_seconds,
        )
        served = serve_in_thread(self.claude.app)
        self.served.append(served)
        self.anthropic_base_url = served.url

    def _mcp_env(self) -> dict[str, str]:
        keep = ("PATH", "HOME", "LANG", "TZ")
        return {
            **{k: v for k, v in self.options.env.items() if k in keep},
            "PYTHONPATH": str(ROOT),
            "BRANDS_FILE": str(self.options.brands_file),
            "DATABASE_URL": self.database_url,
            "MCP_AUTH_TOKEN": self.mcp_token,
            "MCP_READ_TOKEN": self.mcp_read_token,
            "MCP_NOTIFY_TOKEN": self.mcp_notify_token,
            "PYTHONUNBUFFERED": "1",
        }

    def _start_mcp_servers(self, env: dict[str, str]) -> None:
        feed_env = {
            **self._mcp_env(),
            **self.s3_env,
            **self.meta_tokens,
            "META_GRAPH_URL": self.meta_graph_url,
            "META_GRAPH_VERSION": env.get("META_GRAPH_VERSION", "v26.0"),
        }
        servers = {
            "feed-publisher": ("mcp_servers.feed_publisher", feed_env),
            "agent-outputs": ("mcp_servers.agent_outputs", self._mcp_env()),
        }
        self.mcp_urls: dict[str, str] = {}
        self._mcp_commands: dict[str, tuple[list[str], dict[str, str], list[int]]] = {}
        for name, (module, server_env) in servers.items():
            ports = [free_port() for _ in range(self.options.replicas)]
            argv = [sys.executable, "-m", module, "--transport", "streamable-http"]
            self._mcp_commands[name] = (argv, server_env, ports)
            for replica in range(len(ports)):
                self.start_mcp_server(name, replica=replica, wait=False)
        for name in servers:
            for replica, port in enumerate(self._mcp_commands[name][2]):
                self._replica(name, replica).wait_for_port("127.0.0.1", port)
            backends = self.replica_urls(name)
            if len(backends) == 1:
                self.mcp_urls[name] = f"{backends[0]}/mcp"
                continue
            self.proxies[name] = proxy = RoundRobinProxy(backends)
            self._closers.append(proxy)
            self.mcp_urls[name] = f"{proxy.start()}/mcp"

    def server_command(self, name: str) -> tuple[list[str], dict[str, str]]:
        """How to start the MCP server ``name`` on stdio against this stack: its command
        line and its environment (a client that starts its own server, as the MCP Inspector
        and Claude Desktop do)."""
        argv, server_env, _ports = self._mcp_commands[name]
        return argv[:3], dict(server_env)

    def replica_urls(self, name: str) -> list[str]:
        """The base URL of each replica of the MCP server ``name`` (the proxy's backends)."""
        return [f"http://127.0.0.1:{port}" for port in self._mcp_commands[name][2]]

    def _replica(self, name: str, replica: int) -> ChildProcess:
        return self.children[_replica_name(name, replica)]

    def start_mcp_server(self, name: str, *, replica: int = 0, wait: bool = True) -> None:
        """(Re)start replica ``replica`` of the MCP server ``name`` on its port, as a
        restarted container would; the proxy in front of it finds it there."""
        argv, server_env, ports = self._mcp_commands[name]
        child_name = _replica_name(name, replica)
        self.children[child_name] = ChildProcess(
            child_name,
            [*argv, "--port", str(ports[replica])],
            env=server_env,
            log_path=self.workdir / "logs" / f"{child_name}.log",
        )
        if wait:
            self.children[child_name].wait_for_port("127.0.0.1", ports[replica])

    def start_replica(self, name: str, *, env: Mapping[str, str]) -> tuple[ChildProcess, str]:
        """Another instance of the MCP server ``name`` (same database, S3 and tokens) on a
        port of its own, with ``env`` added to its environment; return it and its URL. The
        caller stops it."""
        argv, server_env, _ports = self._mcp_commands[name]
        port = free_port()
        child = ChildProcess(
            f"{name}-replica",
            [*argv, "--port", str(port)],
            env={**server_env, **env},
            log_path=self.workdir / "logs" / f"{name}-replica.log",
        )
        child.wait_for_port("127.0.0.1", port)
        return child, f"http://127.0.0.1:{port}/mcp"

    def stop_postgres(self) -> None:
        """Stop the embedded PostgreSQL (its data stays), as an outage would."""
        if self._postgres is None:
            raise RuntimeError(
                "DATABASE_URL points at an outside PostgreSQL; it is not ours to stop"
            )
        self._postgres.cleanup()
        self._postgres = None

    def start_postgres(self) -> None:
        """Start the embedded PostgreSQL again on the same data and address."""
        url, self._postgres = start_postgres(
            None, self.workdir / "pgdata", password=self._database_password
        )
        assert url == self.database_url

    def stop_mcp_server(self, name: str, *, replica: int = 0) -> None:
        """Take replica ``replica`` of the MCP server ``name`` away (SIGKILL, like a crash)."""
        self._replica(name, replica).kill()

    # -- use ---------------------------------------------------------------------------------
    def worker_settings(self, **overrides: object) -> WorkerSettings:
        """Settings for a worker against this stack (no Meta token, no database password)."""
        values: dict[str, object] = {
            "TEMPORAL_ADDRESS": self.temporal_address,
            "TEMPORAL_TASK_QUEUE": self.options.task_queue,
            "FEED_PUBLISHER_MCP_URL": self.mcp_urls["feed-publisher"],
            "AGENT_OUTPUTS_MCP_URL": self.mcp_urls["agent-outputs"],
            "MCP_AUTH_TOKEN": self.mcp_token,
            "ANTHROPIC_API_KEY": self.anthropic_api_key,
            "ANTHROPIC_BASE_URL": self.anthropic_base_url,
            "BRANDS_FILE": str(self.options.brands_file),
            "CONSOLE_LINK_SECRET": self.console_link_secret,
            **overrides,
        }
        return WorkerSettings.model_validate(values)

    def worker_env(self, **overrides: str) -> dict[str, str]:
        """The environment of a ``python -m temporal_app.worker`` process against this stack."""
        return {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            **self.notify_env,
            **_environment(self.worker_settings(**overrides)),
        }

    def console_settings(self, **overrides: object) -> ConsoleSettings:
        """Settings for a console against this stack (its own database role, the read token).

        Raises RuntimeError when the stack has no console role (an outside database without
        ``CONSOLE_DATABASE_URL``)."""
        if self.console_database_url is None:
            raise RuntimeError("no console role: set CONSOLE_DATABASE_URL with DATABASE_URL")
        values: dict[str, object] = {
            "CONSOLE_DATABASE_URL": self.console_database_url,
            "CONSOLE_SECRET_KEY": self.console_secret_key,
            "CONSOLE_LINK_SECRET": self.console_link_secret,
            "TEMPORAL_ADDRESS": self.temporal_address,
            "TEMPORAL_TASK_QUEUE": self.options.task_queue,
            "FEED_PUBLISHER_MCP_URL": self.mcp_urls["feed-publisher"],
            "AGENT_OUTPUTS_MCP_URL": self.mcp_urls["agent-outputs"],
            "MCP_READ_TOKEN": self.mcp_read_token,
            "BRANDS_FILE": str(self.options.brands_file),
            **overrides,
        }
        return ConsoleSettings.model_validate(values)

    def console_env(self, **overrides: str) -> dict[str, str]:
        """The environment of a ``python -m feedpub_apps.console`` process against this stack."""
        return {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            **_environment(self.console_settings(**overrides)),
        }

    def meta_summary(self) -> dict[str, dict[str, list[str]]]:
        """Post ids per brand in the Meta emulator (empty against the real Graph API)."""
        if self.meta is None:
            return {}
        return {
            brand.name: {
                "facebook_posts": _ids(self.meta.facebook_posts(brand.facebook_page_id), "post_id"),
                "instagram_media": _ids(self.meta.instagram_media(brand.instagram_user_id), "id"),
            }
            for brand in self.brands.values()
        }

    def secrets(self) -> list[str]:
        """Every secret this stack handed out, for tests that look for leaks."""
        found = [self.mcp_token, self.mcp_read_token, self.mcp_notify_token, self.anthropic_api_key]
        found += [*self.meta_tokens.values(), urlsplit(self.database_url).password or ""]
        found += [self._console_password, self.console_secret_key, self.console_link_secret]
        found += self.inbox.hook_secrets.values()
        return [
            secret for secret in [*found, self.s3_env.get("AWS_SECRET_ACCESS_KEY", "")] if secret
        ]

    # -- stop --------------------------------------------------------------------------------
    def stop(self) -> None:
        for child in reversed(list(self.children.values())):
            child.stop()
        for served in self.served:
            served.stop()
        if self._postgres is not None:
            self._postgres.cleanup()
            self._postgres = None
        for closer in reversed(self._closers):
            stop = getattr(closer, "stop", None) or getattr(closer, "cleanup", None)
            if stop is not None:
                stop()
        self.children.clear()
        self.served.clear()
        self._closers.clear()


def _environment(settings: BaseSettings) -> dict[str, str]:
    """``settings`` as the variables that give them, secrets in clear."""
    values = {
        field.alias: getattr(settings, name)
        for name, field in type(settings).model_fields.items()
        if field.alias and getattr(settings, name) is not None
    }
    return {
        k: v.get_secret_value() if hasattr(v, "get_secret_value") else str(v)
        for k, v in values.items()
    }


def _replica_name(server: str, replica: int) -> str:
    """The first replica goes by the server's name, the others by a number from 2."""
    return server if replica == 0 else f"{server}-{replica + 1}"


def _ids(items: list[dict[str, object]], key: str) -> list[str]:
    return [str(item[key]) for item in items]
