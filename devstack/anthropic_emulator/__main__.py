"""Run the emulator on its own: `python -m devstack.anthropic_emulator --port 8765`.

The key comes from `--api-key` or, so that it stays out of `ps`, from the environment
variable ANTHROPIC_EMULATOR_API_KEY.
"""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from .app import AnthropicEmulator

KEY_VARIABLE = "ANTHROPIC_EMULATOR_API_KEY"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.anthropic_emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", help=f"defaults to ${KEY_VARIABLE}")
    parser.add_argument("--latency-seconds", type=float, default=0.0)
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--min-cacheable-tokens",
        type=int,
        help="cache prefixes from this length for every model (default: each model's minimum)",
    )
    parser.add_argument(
        "--batch-delay-seconds",
        type=float,
        help="every Message Batch ends this long after its creation ('inf': they all expire); "
        "default: drawn, 90 %% within 30 min, 8 %% within 6 h, 2 %% expire at 24 h",
    )
    options = parser.parse_args(argv)
    api_key = options.api_key or os.environ.get(KEY_VARIABLE)
    if not api_key:
        print(f"No API key: pass --api-key or set {KEY_VARIABLE}.", file=sys.stderr)
        return 2
    emulator = AnthropicEmulator(
        api_key=api_key,
        latency_seconds=options.latency_seconds,
        seed=options.seed,
        min_cacheable_tokens=options.min_cacheable_tokens,
        batch_delay_seconds=options.batch_delay_seconds,
    )
    print(f"Anthropic emulator on http://{options.host}:{options.port}", file=sys.stderr)
    uvicorn.run(emulator.app, host=options.host, port=options.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
