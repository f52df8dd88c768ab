"""The dev stack's client settings file: private, read only for what is not set, and only while
the stack that wrote it runs."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.parts import _give_a_runtime_dir as give_a_runtime_dir
from feedpub_apps.dev_settings import (
    CLIENT_VARIABLES,
    remove_dev_settings,
    settings_file,
    use_dev_settings,
    write_dev_settings,
)

STACK = {
    "TEMPORAL_ADDRESS": "127.0.0.1:7234",
    "MCP_AUTH_TOKEN": "dev-token-0123456789abcdef",
    "MCP_READ_TOKEN": "dev-read-token-0123456789abcdef",
    "AGENT_OUTPUTS_MCP_URL": "http://127.0.0.1:40001/mcp",
    "BRANDS_FILE": "/home/someone/my brands/it's here.toml",
}


@pytest.fixture(autouse=True)
def fresh_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No client variable set, and a runtime folder of the test's own.

    ``use_dev_settings`` sets variables in this process's environment, as it does in the
    CLI's; they are taken out again after the test, or the stack-wide tests run later would
    have the file's tokens and destinations.
    """
    for name in CLIENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    before = dict(os.environ)
    yield runtime
    os.environ.clear()
    os.environ.update(before)


def _owned_by(pid: int) -> None:
    path = settings_file()
    text = path.read_text().replace(
        f"FEEDPUB_DEV_STACK_PID={os.getpid()}", f"FEEDPUB_DEV_STACK_PID={pid}"
    )
    path.write_text(text)


def _gone_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_the_file_is_private_in_a_private_folder_of_the_runtime_dir(fresh_terminal: Path) -> None:
    path = write_dev_settings(STACK)
    assert path == fresh_terminal / "feedpub" / "dev-stack.env"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unset_variables_come_from_the_file_of_a_running_stack() -> None:
    write_dev_settings(STACK)
    assert use_dev_settings() == settings_file()
    assert {name: os.environ[name] for name in STACK} == STACK


def test_a_variable_that_is_set_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_ADDRESS", "temporal.example:7233")
    write_dev_settings(STACK)
    use_dev_settings()
    assert os.environ["TEMPORAL_ADDRESS"] == "temporal.example:7233"
    assert os.environ["MCP_AUTH_TOKEN"] == STACK["MCP_AUTH_TOKEN"]


def test_the_stack_s_destinations_come_from_its_file_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NOTIFY_TEAM_EMAIL", raising=False)
    monkeypatch.setenv("NOTIFY_POMANDI_WEBHOOK", "signedhooks://hooks.example/mine?secret=x")
    write_dev_settings(
        {
            **STACK,
            "NOTIFY_TEAM_EMAIL": "mailto://127.0.0.1:2525?to=team@example.com&mode=insecure",
            "NOTIFY_POMANDI_WEBHOOK": "signedhook://127.0.0.1:8080/hooks/p?secret=x",
        }
    )
    use_dev_settings()
    assert os.environ["NOTIFY_TEAM_EMAIL"].startswith("mailto://127.0.0.1:2525")
    assert os.environ["NOTIFY_POMANDI_WEBHOOK"] == "signedhooks://hooks.example/mine?secret=x"


def test_a_token_that_is_set_keeps_the_file_s_other_token_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MCP_AUTH_TOKEN", "another-deployment-s-publish-token")
    write_dev_settings(STACK)
    use_dev_settings()
    assert "MCP_READ_TOKEN" not in os.environ
    assert os.environ["MCP_AUTH_TOKEN"] == "another-deployment-s-publish-token"


def test_the_file_of_a_stack_that_is_gone_is_ignored() -> None:
    write_dev_settings(STACK)
    _owned_by(_gone_pid())
    assert use_dev_settings() is None
    assert "MCP_AUTH_TOKEN" not in os.environ


def test_a_file_anyone_else_may_read_is_neither_written_nor_read(
    fresh_terminal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_dev_settings(STACK)
    path.chmod(0o644)
    assert use_dev_settings() is None
    assert "MCP_AUTH_TOKEN" not in os.environ
    assert f"{path} ignored: it is not private" in capsys.readouterr().err
    path.parent.chmod(0o755)
    with pytest.raises(PermissionError, match="not private"):
        write_dev_settings(STACK)


def test_a_stack_removes_its_own_file_but_not_a_newer_stack_s() -> None:
    write_dev_settings(STACK)
    remove_dev_settings()
    assert not settings_file().exists()
    write_dev_settings(STACK)
    _owned_by(os.getppid())  # a newer `make dev` replaced the file
    remove_dev_settings()
    assert settings_file().exists()


def test_without_a_runtime_dir_a_terminal_looks_where_the_stack_wrote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    looked_up_by_a_terminal = settings_file()
    give_a_runtime_dir()  # what the embedded stack does before it starts PostgreSQL
    assert settings_file() == looked_up_by_a_terminal
