"""The console's pages, as links in messages point at them (under ``CONSOLE_PUBLIC_URL``).

Messages link here, never to presigned S3 URLs: those die within an hour, and an approval can
wait many. The paths are fixed now so that a link sent today still opens the right page once
the console serves it.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = [
    "approval_path",
    "brand_path",
    "console_url",
    "history_path",
    "people_path",
    "run_path",
]


def _part(value: str) -> str:
    return quote(value, safe="")


def run_path(workflow_id: str, run_id: str) -> str:
    """A run's page: its steps as they happen, then its report."""
    return f"/runs/{_part(workflow_id)}/{_part(run_id)}"


def approval_path(workflow_id: str, run_id: str) -> str:
    """A waiting run's approval page: image, captions, deadline, approve or reject."""
    return f"/approvals/{_part(workflow_id)}/{_part(run_id)}"


def brand_path(brand: str) -> str:
    """A brand's overview: its coming slots, schedule, photos left, token, alerts."""
    return f"/brands/{_part(brand)}"


def history_path(brand: str) -> str:
    """A brand's runs, newest first."""
    return f"/brands/{_part(brand)}/history"


def people_path(brand: str) -> str:
    """A brand's people and their roles, for its admins."""
    return f"/brands/{_part(brand)}/people"


def console_url(base: str | None, path: str) -> str | None:
    """The full link, or None when no console address is configured."""
    if not base:
        return None
    return base.rstrip("/") + path
