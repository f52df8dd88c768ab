"""The agent-outputs server's reports as its callers read them."""

from __future__ import annotations

__all__ = ["MOST_REPORTS_LISTED"]

MOST_REPORTS_LISTED = 200
"""``list_reports`` answers at most this many reports, the newest first."""
