# syntax=docker/dockerfile:1
# feedpub: one image for the worker, the scheduler, the watchdog, the console and both MCP
# servers (RUN_MODE picks one).
#   docker build -t feedpub .
#   docker run --rm -e RUN_MODE=worker --env-file .env feedpub

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: install feedpub and its runtime dependencies into a virtualenv ---------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml ./
COPY feedpub ./feedpub
COPY feedpub_apps ./feedpub_apps
COPY temporal_app ./temporal_app
COPY mcp_servers ./mcp_servers
# No extras: the dev extra (embedded Temporal, PostgreSQL, moto, test tools) stays out, and
# devstack/ is not copied, so the embedded stack is not in the production image at all.
RUN /opt/venv/bin/pip install . \
 && /opt/venv/bin/python -c "import importlib.resources as r; \
assert any(f.name.endswith('.sql') for f in r.files('feedpub.migrations').iterdir()); \
assert r.files('feedpub_apps.console').joinpath('templates/base.html').is_file(); \
assert r.files('feedpub_apps.console').joinpath('static/console.css').is_file()"

# --- runtime ----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 feedpub \
 && useradd --system --uid 10001 --gid feedpub --home-dir /home/feedpub --create-home \
      --shell /usr/sbin/nologin feedpub
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# BRANDS_FILE defaults to brands.toml in the working directory; mount another file over it
# (or set BRANDS_FILE) to publish for other brands.
COPY brands.toml ./
COPY --chmod=0755 entrypoint.sh ./
# Operator helpers: `docker compose run --rm agent-worker scripts/pause.sh pomandi`.
COPY --chmod=0755 scripts ./scripts
USER 10001:10001
# 8765: feed-publisher MCP server, 8766: agent-outputs MCP server (streamable HTTP, /mcp);
# 8000: the console.
EXPOSE 8765 8766 8000
# No HEALTHCHECK here: the five processes differ (the worker listens on no port), so each
# compose service declares its own.
ENTRYPOINT ["/app/entrypoint.sh"]
