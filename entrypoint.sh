#!/usr/bin/env bash
# One image, six processes: RUN_MODE picks which one this container runs.
# Extra arguments are passed through to the program; PYTHON overrides the interpreter.
set -euo pipefail

readonly MODES="worker, scheduler, watchdog, console, feed-publisher-mcp, agent-outputs-mcp"
python="${PYTHON:-python}"

# The MCP servers listen on every interface of the container by default: the worker reaches
# them over the compose network, the bearer tokens (MCP_AUTH_TOKEN, MCP_READ_TOKEN) guard each
# request, and MCP_ALLOWED_HOSTS names the hosts they answer to.
serve_mcp() {
  local module="$1" default_port="$2"
  shift 2
  exec "$python" -m "$module" \
    --transport "${MCP_TRANSPORT:-streamable-http}" \
    --host "${MCP_HOST:-0.0.0.0}" \
    --port "${MCP_PORT:-$default_port}" \
    "$@"
}

# A program as the first argument runs instead of the service, so operators can use the same
# image: `docker compose run --rm agent-worker scripts/pause.sh pomandi` or `... feedpub pending`.
if [[ $# -gt 0 && "$1" != -* ]] && command -v "$1" >/dev/null 2>&1; then
  exec "$@"
fi

if [[ -z "${RUN_MODE:-}" ]]; then
  echo "entrypoint.sh: RUN_MODE is required; set it to one of: $MODES" >&2
  exit 64
fi

case "$RUN_MODE" in
  worker) exec "$python" -m temporal_app.worker "$@" ;;
  scheduler) exec "$python" -m temporal_app.schedules "$@" ;;
  watchdog) exec "$python" -m feedpub_apps.watchdog "$@" ;;
  # The console listens on every interface of the container; people reach it through the
  # port compose publishes (or a proxy that ends TLS).
  console) CONSOLE_HOST="${CONSOLE_HOST:-0.0.0.0}" exec "$python" -m feedpub_apps.console "$@" ;;
  feed-publisher-mcp) serve_mcp mcp_servers.feed_publisher 8765 "$@" ;;
  agent-outputs-mcp) serve_mcp mcp_servers.agent_outputs 8766 "$@" ;;
  *)
    echo "entrypoint.sh: unknown RUN_MODE '$RUN_MODE'; expected one of: $MODES" >&2
    exit 64
    ;;
esac
