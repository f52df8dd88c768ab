"""``feedpub dev`` / ``make dev`` (``python -m devstack.dev``): the embedded stack, a worker, the
brands' schedules and a watchdog telling the stack's inbox.

With ``keep_running`` it stays up until Ctrl-C or SIGTERM, Temporal on localhost:7233 when that
port is free; ``feedpub`` and ``scripts/*.sh`` in another terminal find it through its client
settings file, which other tools can ``source``. With ``replicas`` above one, each MCP server
runs that many processes behind a round-robin proxy, and as many workers poll the task queue
(this process's, and ``python -m temporal_app.worker`` processes for the others).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time

from temporalio.client import Client

from temporal_app.schedules import apply_checks_schedule, apply_schedules
from temporal_app.worker import run_worker

from .client_settings import published_client_settings, second_terminal
from .console import StackConsole
from .processes import ChildProcess
from .serve import preferred_port
from .signals import exit_code, run_until_stopped, stop_on_sigterm, stopping
from .stack import ROOT, EmbeddedStack, StackOptions

REPLICAS_HELP = "workers, and processes of each MCP server behind a round-robin proxy (default 1)"


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return int(text)


def start_more_workers(stack: EmbeddedStack, count: int) -> list[ChildProcess]:
    """``count`` worker processes against the stack, their output in its log folder."""
    return [
        ChildProcess(
            f"worker-{number}",
            [sys.executable, "-m", "temporal_app.worker"],
            env=stack.worker_env(),
            log_path=stack.workdir / "logs" / f"worker-{number}.log",
        )
        for number in range(2, count + 2)
    ]


def start_watchdog(stack: EmbeddedStack) -> ChildProcess:
    """The watchdog against the stack, as ``RUN_MODE=watchdog`` runs it: the notify token (never
    the publish token), the stack's destinations, its output in the log folder."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "BRANDS_FILE": str(stack.options.brands_file),
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "AGENT_OUTPUTS_MCP_URL": stack.mcp_urls["agent-outputs"],
        "MCP_NOTIFY_TOKEN": stack.mcp_notify_token,
        **stack.notify_env,
    }
    return ChildProcess(
        "watchdog",
        [sys.executable, "-m", "feedpub_apps.watchdog"],
        env=env,
        log_path=stack.workdir / "logs" / "watchdog.log",
    )


async def serve(stack: EmbeddedStack, keep_running: bool) -> int:
    stop = asyncio.Event()
    console = StackConsole.on_localhost()
    worker_settings = stack.worker_settings(**console.worker_links(stack))
    worker = asyncio.create_task(
        run_worker(worker_settings, stop=stop, notify_env=stack.notify_env)
    )
    children = start_more_workers(stack, stack.options.replicas - 1)
    try:
        client = await Client.connect(stack.temporal_address)
        queue = stack.options.task_queue
        changes = await apply_schedules(stack.brands, task_queue=queue, client=client)
        changes.append(await apply_checks_schedule(task_queue=queue, client=client))
        # Started once the schedules exist, so that its first round finds them.
        children.append(watchdog := start_watchdog(stack))
        print("Schedules:")
        for change in changes:
            print("\n".join(f"   {line}" for line in change.lines()))
        if stack.proxies:
            print(f"\n{_replicas_line(stack)}")
        print(f"\nTemporal UI   {stack.temporal_ui_url}/namespaces/default/schedules")
        print(f"Watchdog      a round of checks every 5 min; log {watchdog.log_path}")
        if keep_running and stack.console_database_url:
            process, lines = await console.start(stack)
            children.append(process)
            print("\n".join(lines))
        if keep_running:
            print(f"Inbox         {stack.inbox.where()}: what it receives is shown here")
            stack.inbox.on_receive = lambda got: print(f"inbox  {got.line()}", flush=True)
            with published_client_settings(stack) as settings:
                print("\n".join(second_terminal(stack, settings)))
                print(f"The stack stays up; Ctrl-C or kill {os.getpid()} stops it.", flush=True)
                await asyncio.Event().wait()
        return 0
    finally:
        for process in children:
            process.stop()
        stop.set()
        await worker


def _replicas_line(stack: EmbeddedStack) -> str:
    count = stack.options.replicas
    servers = ", ".join(f"{name} at {proxy.url}" for name, proxy in stack.proxies.items())
    return f"Replicas      {count} workers; {count} of each MCP server behind a proxy: {servers}"


def main(*, keep_running: bool, replicas: int = 1) -> int:
    stop_on_sigterm()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    print("Starting the embedded stack...", flush=True)
    options = StackOptions(
        temporal_port=preferred_port(7233), temporal_ui_port=preferred_port(8233), replicas=replicas
    )
    stack = EmbeddedStack(options)
    try:
        stack.start()
        print(f"   ready in {time.monotonic() - started:.1f} s; logs in {stack.workdir / 'logs'}")
        return run_until_stopped(serve(stack, keep_running))
    except KeyboardInterrupt as interrupt:
        print("\nStopping.", flush=True)
        return exit_code(interrupt)
    finally:
        stopping()
        stack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="feedpub dev", description=__doc__.splitlines()[0])
    parser.add_argument("--keep-running", action="store_true", help="stay up until Ctrl-C")
    parser.add_argument("--replicas", metavar="N", type=_count, default=1, help=REPLICAS_HELP)
    args = parser.parse_args()
    sys.exit(main(keep_running=args.keep_running, replicas=args.replicas))
