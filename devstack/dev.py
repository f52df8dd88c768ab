"""``feedpub dev`` / ``make dev`` (``python -m devstack.dev``): the embedded stack, a worker and the
brands' schedules.

With ``keep_running`` it stays up until Ctrl-C or SIGTERM, Temporal on localhost:7233 when that
port is free; ``feedpub`` and ``scripts/*.sh`` in another terminal find it through its client
settings file, which other tools can ``source``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

from temporalio.client import Client

from temporal_app.schedules import apply_schedules
from temporal_app.worker import run_worker

from .client_settings import published_client_settings, second_terminal
from .processes import port_open
from .serve import free_port
from .signals import exit_code, run_until_stopped, stop_on_sigterm, stopping
from .stack import EmbeddedStack, StackOptions


def _port(preferred: int) -> int:
    return preferred if not port_open("127.0.0.1", preferred) else free_port()


async def serve(stack: EmbeddedStack, keep_running: bool) -> int:
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(stack.worker_settings(), stop=stop))
    try:
        client = await Client.connect(stack.temporal_address)
        changes = await apply_schedules(
            stack.brands, task_queue=stack.options.task_queue, client=client
        )
        print("Schedules:")
        for change in changes:
            print(f"   {change.line()}")
        print(f"\nTemporal UI   {stack.temporal_ui_url}/namespaces/default/schedules")
        if keep_running:
            with published_client_settings(stack) as settings:
                print("\n".join(second_terminal(stack, settings)))
                print(f"The stack stays up; Ctrl-C or kill {os.getpid()} stops it.", flush=True)
                await asyncio.Event().wait()
        return 0
    finally:
        stop.set()
        await worker


def main(*, keep_running: bool) -> int:
    stop_on_sigterm()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    print("Starting the embedded stack...", flush=True)
    stack = EmbeddedStack(StackOptions(temporal_port=_port(7233), temporal_ui_port=_port(8233)))
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
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="feedpub dev", description=__doc__.splitlines()[0])
    parser.add_argument("--keep-running", action="store_true", help="stay up until Ctrl-C")
    sys.exit(main(keep_running=parser.parse_args().keep_running))
