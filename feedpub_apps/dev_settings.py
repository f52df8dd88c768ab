"""The client settings of a running dev stack (``make dev``), for ``feedpub`` in another terminal.

The dev stack writes what a client needs to reach it (the Temporal address, the MCP servers'
URLs and bearer tokens, the brands file) to one file, as ``export NAME=value`` lines. The CLI
takes from it each variable that is not set in its own environment (a variable that is set
wins; the two tokens are taken only when neither is set), so ``feedpub reports html`` and
``feedpub notify test`` (with the stack's ``NOTIFY_*`` destinations) work in a second terminal
with nothing exported; a shell can ``source`` the same file for the
``temporal`` CLI and other tools.

The file is ``$XDG_RUNTIME_DIR/feedpub/dev-stack.env``, with ``$TMPDIR/runtime-<uid>`` for
the runtime folder where no login session made one. A second terminal finds it from any folder
and however feedpub was installed; the runtime folder is the user's alone and, in a login
session, kept in memory and emptied at logout. The folder must be private to the user (0700)
and the file 0600, or it is neither written nor read. One stack per user is found there: the
newest ``make dev`` wins. The file names the stack's process; it is removed by that process
when it stops, and ignored once that process is gone (a stack killed with SIGKILL).
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from feedpub.contract.notices import NOTIFY_ENV_PREFIX

__all__ = [
    "CLIENT_VARIABLES",
    "remove_dev_settings",
    "settings_file",
    "use_dev_settings",
    "write_dev_settings",
]

CLIENT_VARIABLES = (
    "TEMPORAL_ADDRESS",
    "TEMPORAL_NAMESPACE",
    "TEMPORAL_TASK_QUEUE",
    "TEMPORAL_UI_URL",
    "FEED_PUBLISHER_MCP_URL",
    "AGENT_OUTPUTS_MCP_URL",
    "MCP_READ_TOKEN",
    "MCP_AUTH_TOKEN",
    "BRANDS_FILE",
    "CONSOLE_DATABASE_URL",
)
"""What the file may set: the settings a client needs (for ``feedpub users``, the console role's
login), nothing a server alone holds; besides these,
the brands' destinations (``NOTIFY_*``), which ``feedpub notify test`` sends to."""
_TOKENS = ("MCP_READ_TOKEN", "MCP_AUTH_TOKEN")
"""Taken together or not at all: a token set for another deployment must not be paired with
the stack's other token, which reading commands would prefer."""
_OWNER = "FEEDPUB_DEV_STACK_PID"


def settings_file() -> Path:
    # Without XDG_RUNTIME_DIR (no login session: a container, ssh, cron), the folder that
    # platformdirs and the embedded PostgreSQL use; the dev stack may set the variable to it.
    runtime = os.environ.get("XDG_RUNTIME_DIR") or Path(
        tempfile.gettempdir(), f"runtime-{os.getuid()}"
    )
    return Path(runtime, "feedpub", "dev-stack.env")


def _private(path: Path) -> bool:
    found = path.stat()
    return found.st_uid == os.getuid() and not found.st_mode & 0o077


def write_dev_settings(values: Mapping[str, str]) -> Path:
    """Write ``values`` (client variables) as this process's; return the file.

    Raises OSError (PermissionError when the folder is not private to this user).
    """
    path = settings_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(path.parent):
        raise PermissionError(f"{path.parent} is not private to this user")
    lines = [
        "# The feedpub dev stack's client settings; removed when the stack stops.",
        *(f"export {name}={shlex.quote(values[name])}" for name in values),
        f"export {_OWNER}={os.getpid()}",
    ]
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(partial, path)  # whole or absent for a reader in another terminal
    return path


def remove_dev_settings() -> None:
    """Remove the file if it is still this process's (a newer stack may have replaced it)."""
    path = settings_file()
    if _read(path).get(_OWNER) == str(os.getpid()):
        path.unlink(missing_ok=True)


def use_dev_settings() -> Path | None:
    """Set each client variable that is not set from a running dev stack's file.

    Returns the file used, or None when there is no running dev stack to use.
    """
    path = settings_file()
    try:
        if not (_private(path.parent) and _private(path)):
            print(f"feedpub: {path} ignored: it is not private to this user", file=sys.stderr)
            return None
    except FileNotFoundError:
        return None
    values = _read(path)
    if not _running(values.get(_OWNER, "")):
        return None
    a_token_is_set = any(os.environ.get(name) for name in _TOKENS)
    destinations = [name for name in values if name.startswith(NOTIFY_ENV_PREFIX)]
    for name in [*CLIENT_VARIABLES, *destinations]:
        if name in _TOKENS and a_token_is_set:
            continue
        if name in values and name not in os.environ:
            os.environ[name] = values[name]
    return path


def _read(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values = {}
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            values[name] = value
    return values


def _running(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, PermissionError):
        return False  # gone, or the number now belongs to another user's process
    return True
