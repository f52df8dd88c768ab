# Sourced by the helper scripts: run `feedpub schedules ACTION ...` with the project's Python.
#
# Python: $PYTHON if set, else the repository's .venv/bin/python if it exists (outside the
# container), else python3 / python on PATH (the container, WORKDIR /app). The brands file
# is $BRANDS_FILE, else brands.toml at the repository root, so the scripts work from any
# directory.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

feedpub_python() {
  if [[ -n "${PYTHON:-}" ]]; then
    echo "$PYTHON"
  elif [[ -x "$root/.venv/bin/python" ]]; then
    echo "$root/.venv/bin/python"
  elif command -v python3 >/dev/null 2>&1; then
    echo python3
  else
    echo python
  fi
}

# usage_unless COUNT USAGE ARGS...: print USAGE and exit 2 when fewer than COUNT arguments.
usage_unless() {
  local count="$1" usage="$2"
  shift 2
  if (($# < count)); then
    echo "usage: $usage" >&2
    exit 2
  fi
}

run_schedules() {
  export BRANDS_FILE="${BRANDS_FILE:-$root/brands.toml}"
  export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
  exec "$(feedpub_python)" -m feedpub_apps.cli schedules "$@"
}
