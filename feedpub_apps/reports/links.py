"""Where a report points to: the posts, the run in the Temporal UI, its Langfuse trace."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

from feedpub.contract.run import PublishReport
from feedpub.post_links import facebook_post_url, instagram_post_url

__all__ = ["ReportLinks"]


@dataclass(frozen=True)
class ReportLinks:
    """Base URLs of the Temporal UI and of Langfuse (None: no trace links)."""

    temporal_ui_url: str = "http://localhost:8233"
    namespace: str = "default"
    langfuse_url: str | None = None

    @classmethod
    def from_environment(cls) -> ReportLinks:
        """``TEMPORAL_UI_URL``, ``TEMPORAL_NAMESPACE`` and ``LANGFUSE_BASE_URL``."""
        return cls(
            temporal_ui_url=os.environ.get("TEMPORAL_UI_URL") or cls.temporal_ui_url,
            namespace=os.environ.get("TEMPORAL_NAMESPACE") or cls.namespace,
            langfuse_url=os.environ.get("LANGFUSE_BASE_URL") or None,
        )

    def run(self, report: PublishReport) -> str:
        """The run's page (its event history) in the Temporal UI."""
        base = self.temporal_ui_url.rstrip("/")
        return (
            f"{base}/namespaces/{quote(self.namespace, safe='')}/workflows/"
            f"{quote(report.workflow_id, safe='')}/{quote(report.run_id, safe='')}/history"
        )

    def trace(self, report: PublishReport) -> str | None:
        """The run's Langfuse trace, whose id the worker derives from the workflow id."""
        if not self.langfuse_url:
            return None
        from langfuse import Langfuse

        trace_id = Langfuse.create_trace_id(seed=report.workflow_id)
        return f"{self.langfuse_url.rstrip('/')}/trace/{trace_id}"

    # Static: the posts' addresses need no base URL.
    facebook = staticmethod(facebook_post_url)
    instagram = staticmethod(instagram_post_url)
