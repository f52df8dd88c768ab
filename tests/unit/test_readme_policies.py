"""The README's table of activity timeouts and retries says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from temporal_app.workflows import policies
from temporal_app.workflows.policies import StepPolicy

README = Path(__file__).parents[2] / "README.md"
ROW = re.compile(
    r"^\| `(\w+)` \| (\d+) s \| (\d+ s) \| (\d+) \| (\d+) s / (\d+) s \|\s*(.*?)\s*\|$"
)


def readme_rows() -> dict[str, tuple[tuple[int | str, ...], set[str]]]:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            name, *numbers, permanent = match.groups()
            rows[name] = (
                tuple(int(n) if n.isdigit() else n for n in numbers),
                set(re.findall(r"`(\w+)`", permanent)),
            )
    return rows


def code_rows() -> dict[str, tuple[tuple[int | str, ...], set[str]]]:
    rows = {}
    for name, policy in vars(policies).items():
        if isinstance(policy, StepPolicy):
            retry = policy.retry
            assert policy.heartbeat and retry.maximum_interval
            numbers = (
                int(policy.start_to_close.total_seconds()),
                f"{int(policy.heartbeat.total_seconds())} s",
                retry.maximum_attempts,
                int(retry.initial_interval.total_seconds()),
                int(retry.maximum_interval.total_seconds()),
            )
            rows[name.lower()] = (numbers, set(retry.non_retryable_error_types or []))
    return rows


def test_every_activity_policy_is_in_the_readme_table_as_it_is_in_the_code() -> None:
    assert len(code_rows()) >= 10
    assert readme_rows() == code_rows()
