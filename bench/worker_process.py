"""Worker programs of the benches, each in its own process: started, killed like a crash,
started again, measured, stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from devstack.stack import ROOT, EmbeddedStack

__all__ = ["WorkerProcess", "product_and_skeleton"]


class WorkerProcess:
    """``python -m <module>`` with ``env``, its output in the stack's log folder."""

    def __init__(self, stack: EmbeddedStack, module: str, env: dict[str, str]) -> None:
        log = stack.workdir / "logs" / f"{module}-{uuid.uuid4().hex[:6]}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = log.open("ab")
        self._argv = [sys.executable, "-m", module]
        self._env = env
        self._proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> WorkerProcess:
        self._proc = subprocess.Popen(
            self._argv, env=self._env, stdout=self._log, stderr=subprocess.STDOUT
        )
        return self

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGKILL)
        self._proc.wait(10)
        self.kills += 1

    def peak_rss_mb(self) -> float:
        """The kernel's high-water mark of the process's resident memory (VmHWM)."""
        return self._status_mb("VmHWM")

    def rss_mb(self) -> float:
        """The process's resident memory now (VmRSS)."""
        return self._status_mb("VmRSS")

    def _status_mb(self, field: str) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field} in /proc status")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._log.close()


def product_and_skeleton(
    stack: EmbeddedStack, name: str
) -> tuple[WorkerProcess, str, WorkerProcess, str]:
    """The product worker and the bare skeleton worker, started, each on its own task queue."""
    product_queue, skeleton_queue = (f"{n}-{uuid.uuid4().hex[:6]}" for n in (name, "sk"))
    product = WorkerProcess(
        stack, "temporal_app.worker", stack.worker_env(TEMPORAL_TASK_QUEUE=product_queue)
    )
    skeleton = WorkerProcess(stack, "bench.skeleton", {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
        "TEMPORAL_ADDRESS": stack.temporal_address, "TEMPORAL_TASK_QUEUE": skeleton_queue,
    })  # fmt: skip
    return product.start(), product_queue, skeleton.start(), skeleton_queue
