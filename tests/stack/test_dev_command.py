"""``make dev`` as a newcomer uses it: in a second terminal with nothing exported, ``feedpub``
finds the stack (and its stand-ins for the brands' destinations, and the console's people) and
other tools reach it by sourcing its settings file; and SIGTERM stops all of it, also where
SIGINT is ignored (nohup, a script's ``&``, some supervisors)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import stat
import sys
from asyncio.subprocess import PIPE, STDOUT
from pathlib import Path

import httpx
import psutil

from devstack.processes import port_open
from tests.polling import poll

FEEDPUB = Path(sys.executable).parent / "feedpub"
DESCRIBE = (
    f"{Path(sys.executable).parent / 'temporal'} workflow describe --address $TEMPORAL_ADDRESS"
    " --namespace $TEMPORAL_NAMESPACE --output json --workflow-id"
)
START_DEADLINE, COMMAND_DEADLINE, STOP_DEADLINE = 120.0, 120.0, 30.0


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what nohup and a script's `&` leave behind


def _fresh_terminal(runtime: Path) -> dict[str, str]:
    """A new terminal's environment: no feedpub variable at all."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
    }


class Console:
    """What a process prints, read as it comes so that the process never waits on its pipe."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.text = ""
        self._reading = asyncio.create_task(self._read(stream))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        async for line in stream:
            self.text += line.decode(errors="replace")

    async def shows(self, wanted: str, timeout: float) -> None:
        def printed() -> bool:
            ended = self._reading.done() and wanted not in self.text
            assert not ended, f"ended before printing {wanted!r}:\n{self.text}"
            return wanted in self.text

        def seen() -> str:
            return f"{wanted!r} to be printed; printed:\n{self.text}"

        await poll(printed, seen, timeout=timeout, every=0.05)

    async def rest(self) -> str:
        await asyncio.wait_for(self._reading, STOP_DEADLINE)
        return self.text


async def _output(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    out, _ = await asyncio.wait_for(proc.communicate(), COMMAND_DEADLINE)
    return proc.returncode or 0, out.decode(errors="replace")


async def _feedpub(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    return await _output(
        await asyncio.create_subprocess_exec(
            str(FEEDPUB), *args, env=env, cwd=cwd, stdout=PIPE, stderr=STDOUT
        )
    )


async def _in_shell(env: dict[str, str], cwd: Path, script: str) -> tuple[int, str]:
    return await _output(
        await asyncio.create_subprocess_exec(
            "bash", "-c", script, env=env, cwd=cwd, stdout=PIPE, stderr=STDOUT
        )
    )


def _servers(dev_pid: int, printed: str) -> list[psutil.Process]:
    """The stack's servers: our children (Temporal, MCP servers) and PostgreSQL, a daemon."""
    found = re.search(r"logs in (\S+)/logs", printed)
    assert found, printed
    postmaster = Path(found[1], "pgdata", "postmaster.pid").read_text().split()[0]
    return [*psutil.Process(dev_pid).children(recursive=True), psutil.Process(int(postmaster))]


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _ports(settings: str) -> list[int]:
    """The ports of Temporal and the MCP servers named in the client settings file."""
    return [int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", settings)]


async def test_feedpub_elsewhere_uses_make_dev_and_sigterm_stops_it_all_with_sigint_ignored(
    tmp_path: Path,
) -> None:
    runtime, elsewhere, site = tmp_path / "runtime", tmp_path / "elsewhere", tmp_path / "site"
    runtime.mkdir(mode=0o700)
    elsewhere.mkdir()
    env = _fresh_terminal(runtime)
    dev = await asyncio.create_subprocess_exec(
        str(FEEDPUB), "dev", "--keep-running", env=env, cwd=elsewhere,
        stdout=PIPE, stderr=STDOUT, preexec_fn=_ignore_sigint,
    )  # fmt: skip
    assert dev.stdout is not None
    console, servers = Console(dev.stdout), []
    try:
        await console.shows("The stack stays up", START_DEADLINE)
        servers = _servers(dev.pid, console.text)
        # Temporal, two MCP servers, the watchdog, the console, PostgreSQL
        assert len(servers) == 6, servers
        settings_file = runtime / "feedpub" / "dev-stack.env"
        assert stat.S_IMODE(settings_file.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
        settings = settings_file.read_text()
        token = re.search(r"MCP_AUTH_TOKEN=(\S+)", settings)
        assert token and token[1] not in console.text
        assert f"source {settings_file}" in console.text

        # A run followed step by step, as `make run` does: the progress query at each step.
        code, out = await _feedpub(env, elsewhere, "run", "costume", "--wait")
        assert code == 0 and "== costume: PUBLISHED" in out, out
        found = re.search(r"\(run (\S+)\)\n\s+workflow\s+(\S+)", out)
        assert found, out
        run_id, workflow_id = found.groups()
        code, out = await _in_shell(
            env, elsewhere, f"source {settings_file} && {DESCRIBE} {workflow_id}"
        )
        assert code == 0 and json.loads(out)["workflowExecutionInfo"]["status"].endswith(
            "COMPLETED"
        ), out
        code, out = await _feedpub(env, elsewhere, "reports", "html", "--out", str(site))
        assert code == 0 and str(site / "index.html") in out, out
        assert f'src="images/{run_id}.jpg"' in (site / "costume.html").read_text()
        assert (site / "images" / f"{run_id}.jpg").stat().st_size > 0

        # The console is up with a first admin, whom `feedpub users` finds.
        shown = re.search(r"^Console +(http://\S+) +log in as (\S+), password", console.text, re.M)
        assert shown, console.text
        async with httpx.AsyncClient() as browser:
            assert (await browser.get(f"{shown[1]}/healthz")).text == "ok"
        code, out = await _feedpub(env, elsewhere, "users", "list")
        assert code == 0 and f"{shown[2]} " in out and "pomandi=admin" in out, out

        # The watchdog watches the stack with the notify token and finds nothing to tell.
        found_log = re.search(r"^Watchdog .* log (\S+)$", console.text, re.MULTILINE)
        assert found_log, console.text
        watchdog_log = Path(found_log[1])
        await poll(lambda: "round done" in watchdog_log.read_text(), "a watchdog round")
        assert "round done: nothing to tell" in watchdog_log.read_text()

        # The brands' destinations are the stack's inbox, which shows what it gets.
        code, out = await _feedpub(env, elsewhere, "notify", "test", "pomandi")
        assert (code, out.splitlines()) == (
            0, ["NOTIFY_TEAM_EMAIL       delivered", "NOTIFY_POMANDI_WEBHOOK  delivered"]
        ), out  # fmt: skip
        await console.shows("inbox  webhook  pomandi-webhook", COMMAND_DEADLINE)
        await console.shows("inbox  smtp     team@example.com", COMMAND_DEADLINE)

        dev.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(dev.wait(), STOP_DEADLINE)
        except TimeoutError:
            raise AssertionError(f"still running {STOP_DEADLINE:.0f} s after SIGTERM") from None
        assert dev.returncode == 128 + signal.SIGTERM
        printed = await console.rest()
        assert "Stopping." in printed and "Traceback" not in printed, printed
        assert not re.search(r"\b(WARN|WARNING|ERROR)\b", printed), printed
        assert [server for server in servers if _running(server)] == []
        assert [port for port in _ports(settings) if port_open("127.0.0.1", port)] == []
        assert not settings_file.exists()
    finally:
        if dev.returncode is None:
            dev.kill()
            await dev.wait()
        for server in servers:
            if _running(server):
                server.kill()
