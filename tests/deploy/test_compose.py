"""The compose files: the services, how they reach each other, and where each secret goes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = (
    "agent-worker",
    "feed-publisher-mcp",
    "agent-outputs-mcp",
    "scheduler",
    "watchdog",
    "console",
)
# Read by docker-compose.yml only, for the PostgreSQL it starts; not a variable of feedpub's
# processes, so .env.example does not list it (the header of docker-compose.yml does).
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}")
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PWD|_KEY)")


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / name).read_text())
    return data


@pytest.fixture(scope="module")
def app() -> dict[str, Any]:
    return load("docker-compose.yml")


@pytest.fixture(scope="module")
def temporal() -> dict[str, Any]:
    return load("docker-compose.temporal.yml")


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment is written as a mapping"
    return {key: str(value) for key, value in env.items()}


def references(value: object) -> set[str]:
    """Names of the ${VAR...} substitutions anywhere in ``value`` ($$ is a literal dollar)."""
    text = yaml.safe_dump(value).replace("$$", "")
    return {match.group(1) for match in REFERENCE.finditer(text)}


def substituted(value: str) -> str:
    """``value`` with each ${VAR...} replaced by a marker naming VAR, as compose would fill it."""
    return REFERENCE.sub(lambda match: f"from-env-{match.group(1)}", value)


def mentions(service: dict[str, Any], name: str) -> bool:
    return name in environment(service) or name in references(service)


def env_example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].strip())
    return names


def meta_token_variables() -> set[str]:
    brands = tomllib.loads((ROOT / "brands.toml").read_text())["brands"]
    return {brand["meta_token_env"] for brand in brands.values()}


def all_services(*files: dict[str, Any]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for data in files:
        merged.update(data["services"])
    return merged


def test_both_files_name_the_expected_services(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    assert set(app["services"]) == {
        *APP_SERVICES,
        *("mcp-balancer", "postgres", "minio", "minio-init", "console-role"),
    }
    assert set(temporal["services"]) == {"postgresql", "temporal", "temporal-ui", "admin-tools"}


def test_the_two_files_are_separate_compose_projects(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    # Same directory: without their own names they would be one project, each `up`
    # calling the other's containers orphans.
    assert app["name"] != temporal["name"]


def test_temporal_runs_on_postgresql_with_healthchecks(temporal: dict[str, Any]) -> None:
    services = temporal["services"]
    server = services["temporal"]
    assert server["image"].startswith("temporalio/auto-setup:")
    assert server["environment"]["DB"] == "postgres12"
    assert server["environment"]["POSTGRES_SEEDS"] == "postgresql"
    assert server["depends_on"]["postgresql"]["condition"] == "service_healthy"
    assert services["postgresql"]["image"].startswith("postgres:")
    for name in ("postgresql", "temporal"):
        assert services[name]["healthcheck"]["test"]


def test_temporal_ui_is_published_on_host_port_8088(temporal: dict[str, Any]) -> None:
    ui = temporal["services"]["temporal-ui"]
    assert ui["image"].startswith("temporalio/ui:")
    published = [str(port).rsplit(":", 2)[-2:] for port in ui["ports"]]
    assert ["8088", "8080"] in published


def test_the_brand_search_attribute_is_registered_once_temporal_is_healthy(
    temporal: dict[str, Any],
) -> None:
    tools = temporal["services"]["admin-tools"]
    script = " ".join(tools["command"])
    assert "temporal operator search-attribute create" in script
    assert "--name Brand --type Keyword" in script
    # Idempotent: a second `up` must not fail on the attribute that already exists.
    assert "search-attribute list" in script
    assert tools["depends_on"]["temporal"]["condition"] == "service_healthy"
    assert tools["restart"] == "no"


def test_worker_and_scheduler_reach_temporal_over_its_shared_network(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    shared = temporal["networks"]["temporal"]["name"]
    external = {key: net for key, net in app["networks"].items() if net.get("name") == shared}
    assert len(external) == 1, "docker-compose.yml joins the Temporal network"
    ((key, network),) = external.items()
    assert network["external"] is True
    assert "temporal" in temporal["services"]["temporal"]["networks"]
    for name in ("agent-worker", "scheduler", "watchdog"):
        service = app["services"][name]
        assert key in service["networks"]
        host, port = environment(service)["TEMPORAL_ADDRESS"].split(":")
        assert host in temporal["services"] and port == "7233"


def test_every_app_service_runs_the_one_feedpub_image(app: dict[str, Any]) -> None:
    services = app["services"]
    images = {(services[name]["image"], str(services[name]["build"])) for name in APP_SERVICES}
    assert len(images) == 1
    ((_image, build),) = images
    assert build == "."


@pytest.mark.parametrize(
    ("service", "run_mode"),
    [
        ("agent-worker", "worker"),
        ("scheduler", "scheduler"),
        ("watchdog", "watchdog"),
        ("console", "console"),
        ("feed-publisher-mcp", "feed-publisher-mcp"),
        ("agent-outputs-mcp", "agent-outputs-mcp"),
    ],
)
def test_each_app_service_sets_its_run_mode(
    app: dict[str, Any], service: str, run_mode: str
) -> None:
    assert environment(app["services"][service])["RUN_MODE"] == run_mode


def test_the_scheduler_is_a_one_shot(app: dict[str, Any]) -> None:
    assert app["services"]["scheduler"]["restart"] == "no"


def test_no_service_is_handed_the_whole_env_file(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    for name, service in all_services(app, temporal).items():
        assert "env_file" not in service, f"{name} would receive every secret in .env"


def test_every_variable_of_the_app_services_is_documented_or_set_inline(
    app: dict[str, Any],
) -> None:
    documented = env_example_names()
    for name in APP_SERVICES:
        service = app["services"][name]
        unknown = references(service) - documented
        assert not unknown, f"{name} reads {sorted(unknown)}, missing from .env.example"
        for key, value in environment(service).items():
            assert key in documented or not references(value), (
                f"{name}: {key} is neither in .env.example nor set inline"
            )


def test_secrets_are_substituted_from_env_never_written_in_the_files(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    for name, service in all_services(app, temporal).items():
        for key, value in environment(service).items():
            if not SECRET_NAME.search(key):
                continue
            match = REFERENCE.fullmatch(value)
            assert match, f"{name}: {key} must be a ${{...}} substitution from .env"
            default = re.match(r":?-(.*)", match.group(2))
            assert not (default and default.group(1)), f"{name}: {key} has a default value"


def test_database_urls_take_their_password_from_env(app: dict[str, Any]) -> None:
    for name in ("feed-publisher-mcp", "agent-outputs-mcp"):
        url = urlsplit(substituted(environment(app["services"][name])["DATABASE_URL"]))
        assert url.password == "from-env-POSTGRES_PASSWORD", f"{name}: password not from .env"


def test_meta_tokens_reach_only_the_feed_publisher(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    tokens = meta_token_variables()
    assert tokens, "brands.toml names the Meta token variables"
    publisher = app["services"]["feed-publisher-mcp"]
    for token in tokens:
        assert token in env_example_names()
        assert environment(publisher)[token] == f"${{{token}}}"
    for name, service in all_services(app, temporal).items():
        if name != "feed-publisher-mcp":
            leaked = {token for token in tokens if mentions(service, token)}
            assert not leaked, f"{name} receives {sorted(leaked)}"


def notify_variables() -> set[str]:
    brands = tomllib.loads((ROOT / "brands.toml").read_text())
    named = set(brands.get("notify_env", []))
    for brand in brands["brands"].values():
        named |= set(brand.get("notify_env", []))
    return named


def test_the_worker_is_given_every_destination_brands_toml_names(app: dict[str, Any]) -> None:
    worker = environment(app["services"]["agent-worker"])
    assert notify_variables(), "brands.toml names destinations"
    for variable in notify_variables():
        assert variable in env_example_names()
        assert worker[variable] == f"${{{variable}}}", variable


def test_the_anthropic_key_reaches_only_the_worker(
    app: dict[str, Any], temporal: dict[str, Any]
) -> None:
    assert mentions(app["services"]["agent-worker"], "ANTHROPIC_API_KEY")
    for name, service in all_services(app, temporal).items():
        if name != "agent-worker":
            assert not mentions(service, "ANTHROPIC_API_KEY"), name


def test_the_worker_sees_neither_the_database_nor_the_storage_keys(app: dict[str, Any]) -> None:
    worker = app["services"]["agent-worker"]
    for name in ("DATABASE_URL", "POSTGRES_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert not mentions(worker, name), name


def balancer_sections(app: dict[str, Any]) -> dict[str, list[str]]:
    """The load balancer's HAProxy configuration: each section's heading, and its lines."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in app["configs"]["mcp-balancer"]["content"].splitlines():
        if line.strip() and not line.startswith(" "):
            sections[line.strip()] = lines = []
        elif line.strip():
            lines.append(" ".join(line.split()))
    return sections


def test_the_worker_reaches_each_mcp_server_through_the_load_balancer(
    app: dict[str, Any],
) -> None:
    services = app["services"]
    sections = balancer_sections(app)
    worker = environment(services["agent-worker"])
    for variable, name in (
        ("FEED_PUBLISHER_MCP_URL", "feed-publisher-mcp"),
        ("AGENT_OUTPUTS_MCP_URL", "agent-outputs-mcp"),
    ):
        url = urlsplit(worker[variable])
        assert (url.hostname, url.path) == ("mcp-balancer", "/mcp")
        assert str(url.port) in services["mcp-balancer"]["expose"]
        server = environment(services[name])
        (frontend,) = [
            lines for heading, lines in sections.items()
            if heading.startswith("frontend") and f"bind :{url.port}" in lines
        ]  # fmt: skip
        backend = next(line.split()[1] for line in frontend if line.startswith("default_backend"))
        (template,) = [line for line in sections[f"backend {backend}"] if "server-template" in line]
        assert f" {name}:{server['MCP_PORT']} " in template
        assert server["MCP_HOST"] == "0.0.0.0"
        assert server["MCP_TRANSPORT"] == "streamable-http"
        assert mentions(services[name], "MCP_AUTH_TOKEN")
        assert services["mcp-balancer"]["depends_on"][name]["condition"] == "service_healthy"
        assert services[name]["healthcheck"]["test"]
    assert "mcp-balancer" in services["agent-worker"]["depends_on"]
    assert mentions(services["agent-worker"], "MCP_AUTH_TOKEN")


def test_workers_and_both_mcp_servers_run_as_several_replicas(app: dict[str, Any]) -> None:
    for name in ("agent-worker", "feed-publisher-mcp", "agent-outputs-mcp"):
        service = app["services"][name]
        assert service["deploy"]["replicas"] >= 2, name
        # A fixed container name or host port would stop a second replica from starting.
        assert "container_name" not in service and "ports" not in service, name


def test_the_load_balancer_takes_replicas_in_turn_without_sticky_sessions(
    app: dict[str, Any],
) -> None:
    balancer = app["services"]["mcp-balancer"]
    assert re.fullmatch(r"haproxy:\d+\.\d+", balancer["image"]), "a maintained, pinned image"
    sections = balancer_sections(app)
    backends = {
        heading: lines for heading, lines in sections.items() if heading.startswith("backend")
    }
    assert len(backends) == 2
    for heading, lines in backends.items():
        assert "balance roundrobin" in lines, heading
        sticky = [line for line in lines if line.split()[0] in ("cookie", "stick", "stick-table")]
        assert not sticky, heading
        # Replicas are found by Docker's DNS while it runs, so scaling needs no reload.
        (template,) = [line for line in lines if line.startswith("server-template")]
        assert "resolvers docker" in template and "check" in template.split()


def test_the_mcp_servers_answer_only_requests_addressed_to_their_service_name(
    app: dict[str, Any],
) -> None:
    services = app["services"]
    for variable, name in (
        ("FEED_PUBLISHER_MCP_URL", "feed-publisher-mcp"),
        ("AGENT_OUTPUTS_MCP_URL", "agent-outputs-mcp"),
    ):
        allowed = environment(services[name])["MCP_ALLOWED_HOSTS"].split(",")
        assert name in allowed
        assert urlsplit(environment(services["agent-worker"])[variable]).hostname in allowed


@pytest.mark.parametrize("token", ["MCP_READ_TOKEN", "MCP_NOTIFY_TOKEN"])
def test_the_read_and_notify_tokens_reach_the_servers_and_never_the_worker(
    app: dict[str, Any], token: str
) -> None:
    services = app["services"]
    for name in ("feed-publisher-mcp", "agent-outputs-mcp"):
        assert environment(services[name])[token] == f"${{{token}:-}}"
    assert not mentions(services["agent-worker"], token)


def test_both_servers_read_the_brands_file_mounted_beside_the_worker(app: dict[str, Any]) -> None:
    services = app["services"]
    for name in ("agent-worker", "feed-publisher-mcp", "agent-outputs-mcp"):
        assert environment(services[name])["BRANDS_FILE"] == "/app/brands.toml", name
        assert "./brands.toml:/app/brands.toml:ro" in services[name]["volumes"], name


def test_the_watchdog_holds_the_notify_token_and_the_destinations_never_the_publish_token(
    app: dict[str, Any],
) -> None:
    services = app["services"]
    watchdog = services["watchdog"]
    assert REFERENCE.fullmatch(environment(watchdog)["MCP_NOTIFY_TOKEN"])
    for secret in ("MCP_AUTH_TOKEN", "MCP_READ_TOKEN", "DATABASE_URL", "ANTHROPIC_API_KEY"):
        assert not mentions(watchdog, secret), secret
    # It reaches agent-outputs as the worker does, and Temporal without the worker.
    url = environment(watchdog)["AGENT_OUTPUTS_MCP_URL"]
    assert url == environment(services["agent-worker"])["AGENT_OUTPUTS_MCP_URL"]
    assert "agent-worker" not in watchdog.get("depends_on", {})
    brands = tomllib.loads((ROOT / "brands.toml").read_text())
    named = set(brands.get("notify_env", []))
    for brand in brands["brands"].values():
        named |= set(brand.get("notify_env", []))
    assert named, "brands.toml names destinations"
    for variable in named:
        assert environment(watchdog)[variable] == f"${{{variable}}}", variable


def test_storage_and_database_point_at_the_services_of_this_file(app: dict[str, Any]) -> None:
    services = app["services"]
    publisher = environment(services["feed-publisher-mcp"])
    assert urlsplit(publisher["AWS_ENDPOINT_URL"]).hostname == "minio"
    for name in ("feed-publisher-mcp", "agent-outputs-mcp"):
        url = urlsplit(substituted(environment(services[name])["DATABASE_URL"]))
        assert (url.hostname, url.port, url.path) == ("postgres", 5432, "/feedpub")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert environment(services["postgres"])["POSTGRES_DB"] == "feedpub"


def test_the_photo_bucket_is_created_before_the_feed_publisher_starts(
    app: dict[str, Any],
) -> None:
    services = app["services"]
    init = services["minio-init"]
    assert "mc mb --ignore-existing" in " ".join(init["command"])
    assert (
        environment(init)["S3_BUCKET"] == environment(services["feed-publisher-mcp"])["S3_BUCKET"]
    )
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    condition = services["feed-publisher-mcp"]["depends_on"]["minio-init"]["condition"]
    assert condition == "service_completed_successfully"
    assert "--console-address" in services["minio"]["command"]


def test_the_worker_healthcheck_asks_its_health_endpoint_and_metrics_are_exposed(
    app: dict[str, Any],
) -> None:
    worker = app["services"]["agent-worker"]
    env = environment(worker)
    health_port = env["HEALTH_BIND_ADDRESS"].rsplit(":", 1)[1]
    metrics_port = env["METRICS_BIND_ADDRESS"].rsplit(":", 1)[1]
    check = " ".join(worker["healthcheck"]["test"])
    assert f"127.0.0.1:{health_port}/healthz" in check
    assert {health_port, metrics_port} <= {str(port) for port in worker["expose"]}
    assert "ports" not in worker, "metrics and health stay on the compose network"


def test_the_feed_publisher_runs_within_a_memory_limit_above_its_photo_work(
    app: dict[str, Any],
) -> None:
    publisher = app["services"]["feed-publisher-mcp"]
    limit = publisher["deploy"]["resources"]["limits"]["memory"]
    value, unit = int(limit[:-1]), limit[-1].upper()
    megabytes = value * {"M": 1, "G": 1024}[unit]
    # The photo work peaks under 400 MB (bench R4); the limit keeps a margin above it.
    assert 448 <= megabytes <= 1024
    assert environment(publisher)["MAX_PHOTO_BYTES"] == "${MAX_PHOTO_BYTES:-52428800}"


def test_the_console_reads_with_the_read_token_and_reaches_the_database_as_its_own_role(
    app: dict[str, Any],
) -> None:
    services = app["services"]
    console = services["console"]
    env = environment(console)
    assert REFERENCE.fullmatch(env["MCP_READ_TOKEN"])
    for secret in ("MCP_AUTH_TOKEN", "MCP_NOTIFY_TOKEN", "DATABASE_URL", "POSTGRES_PASSWORD"):
        assert not mentions(console, secret), secret
    for secret in ("AWS_SECRET_ACCESS_KEY", "ANTHROPIC_API_KEY"):
        assert not mentions(console, secret), secret
    url = urlsplit(substituted(env["CONSOLE_DATABASE_URL"]))
    assert (url.username, url.password) == ("feedpub_console", "from-env-CONSOLE_DATABASE_PASSWORD")
    assert (url.hostname, url.port, url.path) == ("postgres", 5432, "/feedpub")
    # The role gets its login once the migrations (run by the MCP servers) have made it.
    role = services["console-role"]
    assert console["depends_on"]["console-role"]["condition"] == "service_completed_successfully"
    assert role["depends_on"]["agent-outputs-mcp"]["condition"] == "service_healthy"
    assert "ALTER ROLE feedpub_console LOGIN PASSWORD" in " ".join(role["command"])
    assert role["restart"] == "no"
    # Its MCP servers are the worker's, through the balancer.
    for variable in ("FEED_PUBLISHER_MCP_URL", "AGENT_OUTPUTS_MCP_URL"):
        assert env[variable] == environment(services["agent-worker"])[variable]


def test_the_console_is_published_on_loopback_and_checked_through_its_health_endpoint(
    app: dict[str, Any],
) -> None:
    console = app["services"]["console"]
    port = environment(console)["CONSOLE_PORT"]
    assert console["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert f"127.0.0.1:{port}/healthz" in " ".join(console["healthcheck"]["test"])


def test_the_worker_and_the_console_share_the_approval_links_secret(app: dict[str, Any]) -> None:
    services = app["services"]
    for name in ("agent-worker", "console"):
        assert mentions(services[name], "CONSOLE_LINK_SECRET"), name
    for name in ("feed-publisher-mcp", "agent-outputs-mcp", "watchdog", "scheduler"):
        assert not mentions(services[name], "CONSOLE_LINK_SECRET"), name
