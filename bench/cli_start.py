"""How long the ``feedpub`` command takes to start: ``--help``, and ``run`` up to its first
answer (an unknown brand, so nothing reaches Temporal), medians of a few runs each.

The command is found as ``feedpub_apps.cli`` (or ``feedpub.cli`` in a tree that had the
command in the kernel), so the same script measures another checkout with
``PYTHONPATH=<checkout> .venv/bin/python -m bench.cli_start``.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time

_MODULE = "feedpub_apps.cli" if importlib.util.find_spec("feedpub_apps") else "feedpub.cli"


def _seconds(*arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", _MODULE, *arguments],
        capture_output=True,
        check=False,
        timeout=120,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    helps = [_seconds("--help") for _ in range(runs)]
    starts = [_seconds("run", "nobody-at-all", "--brands", "brands.toml") for _ in range(runs)]
    source = importlib.util.find_spec(_MODULE)
    print(f"{_MODULE} from {source.origin if source else '?'}")
    print(
        f"CLI feedpub --help {statistics.median(helps) * 1000:.0f} ms, "
        f"feedpub run <unknown brand> {statistics.median(starts) * 1000:.0f} ms "
        f"(medians of {runs})"
    )


if __name__ == "__main__":
    main()
