"""Two of everything for the benches: workers in their own processes and replicas of both MCP
servers behind round-robin proxies, each of which can be killed like a crash and started again.

The stack's own server of each kind is the first replica: it is killed and started again on
its same port (``EmbeddedStack.stop_mcp_server`` / ``start_mcp_server``), so the proxy's list
of backends stays valid. The other replicas come from ``EmbeddedStack.start_replica``.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from devstack.processes import ChildProcess
from devstack.proxy import RoundRobinProxy
from devstack.stack import EmbeddedStack

from .burst_parts import cpu_seconds
from .worker_process import WorkerProcess

__all__ = ["Fleet"]

SERVERS = {"feed-publisher": "FEED_PUBLISHER_MCP_URL", "agent-outputs": "AGENT_OUTPUTS_MCP_URL"}


class Fleet:
    """``replicas`` workers and ``replicas`` replicas of each MCP server on one task queue.

    With one replica, the workers reach the stack's servers directly, as a deployment without a
    load balancer does; with more, through one round-robin proxy per server.
    """

    def __init__(self, stack: EmbeddedStack, replicas: int, name: str) -> None:
        self.stack = stack
        self.replicas = replicas
        self.queue = f"{name}-{uuid.uuid4().hex[:6]}"
        self.extra: dict[str, list[ChildProcess]] = {server: [] for server in SERVERS}
        self.proxies: dict[str, RoundRobinProxy] = {}
        self.workers: list[WorkerProcess] = []
        self.server_kills = 0

    def start(self) -> Fleet:
        urls: dict[str, str] = {}
        try:
            for server, variable in SERVERS.items():
                urls[variable] = self.stack.mcp_urls[server]
                if self.replicas == 1:
                    continue
                backends = [_base(self.stack.mcp_urls[server])]
                for _ in range(self.replicas - 1):
                    child, url = self.stack.start_replica(server, env={})
                    self.extra[server].append(child)
                    backends.append(_base(url))
                self.proxies[server] = RoundRobinProxy(backends)
                urls[variable] = self.proxies[server].start() + "/mcp"
            env = self.stack.worker_env(TEMPORAL_TASK_QUEUE=self.queue, **urls)
            for _ in range(self.replicas):
                self.workers.append(WorkerProcess(self.stack, "temporal_app.worker", env).start())
        except BaseException:
            self.stop()
            raise
        return self

    async def polling(self, client: Client, timeout: float = 120.0) -> None:
        """Return once every worker polls the queue for activities (their imports done)."""
        request = DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=self.queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
        deadline = time.monotonic() + timeout
        while len((await client.workflow_service.describe_task_queue(request)).pollers) < len(
            self.workers
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.workers)} workers not polling within {timeout} s")
            await asyncio.sleep(0.2)

    def kill_server(self, server: str) -> None:
        """SIGKILL the stack's own replica of ``server``, as a crash would."""
        self.stack.stop_mcp_server(server)
        self.server_kills += 1

    def restart_server(self, server: str) -> None:
        """Start the killed replica again on its port; return once it accepts connections."""
        self.stack.start_mcp_server(server)

    @property
    def worker_kills(self) -> int:
        return sum(worker.kills for worker in self.workers)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time the processes of a burst used so far, by kind: the bench (which hosts the
        emulators, moto and the proxies), Temporal, each MCP server's replicas, the workers,
        and PostgreSQL with its backends, living or ended (they come and go with
        connections)."""
        found = {"bench": cpu_seconds(os.getpid())}
        found |= {name: cpu_seconds(child.pid) for name, child in self.stack.children.items()}
        for server, children in self.extra.items():
            found[server] += sum(cpu_seconds(child.pid) for child in children)
        found["workers"] = sum(cpu_seconds(worker.pid) for worker in self.workers)
        postmaster = self.stack.workdir / "pgdata" / "postmaster.pid"
        if postmaster.exists():
            found["postgres"] = _tree_cpu_seconds(int(postmaster.read_text().split()[0]))
        return found

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        for proxy in self.proxies.values():
            proxy.stop()
        for children in self.extra.values():
            for child in children:
                child.stop()


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its children, living or reaped."""
    total = 0.0
    for one in [pid, *_children(pid)]:
        try:
            total += cpu_seconds(one) + _reaped_children(one) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue  # ended meanwhile: its time is now its parent's
    return total


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _reaped_children(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[13]) + int(fields[14])  # cutime, cstime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                continue  # gone meanwhile
    return found


def _base(mcp_url: str) -> str:
    return mcp_url.removesuffix("/mcp")
