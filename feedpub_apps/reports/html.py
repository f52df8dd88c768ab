"""Static HTML pages of saved reports: one per brand and an index, readable from disk.

They are rendered from the console's templates (``_report.html`` shows a run on both), with
autoescape on: captions are Claude's or a person's text. The pages load nothing but the
posted images written next to them, and embed their styles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from feedpub.contract.after_publishing import PostFigures
from feedpub.contract.run import PublishReport
from feedpub.post_figures import figures_line

from ..console.templating import cost, templates, usage_line
from .links import ReportLinks
from .steps import in_run_order
from .table import why

__all__ = ["PageEntry", "brand_page", "index_page"]


@dataclass(frozen=True)
class PageEntry:
    """One run as a card (``_report.html``), with what the card shows in words, so that it
    renders the same in any environment (the console's and the offline pages')."""

    report: PublishReport
    local_time: str
    image_path: str | None
    """The posted image's address (relative to the page offline); None when there is none."""
    run_page: str | None = None
    """The run's own page in the console; None on the offline pages."""
    insights: Sequence[PostFigures] = ()
    """The post's figures read since (+24 h, +7 d)."""

    @property
    def reason(self) -> str:
        """Why the run did not publish everywhere; empty when it did."""
        return why(self.report)

    @property
    def cost(self) -> str:
        return cost(self.report.cost_usd, "not known")

    @property
    def figure_lines(self) -> list[str]:
        """The post's figures, a line per platform and age."""
        return [figures_line(figures) for figures in self.insights]

    @property
    def timings_in_order(self) -> list[tuple[str, float]]:
        """Seconds per step, in the order the run took its steps."""
        return in_run_order(self.report.timings)

    @property
    def usage_lines(self) -> list[str]:
        """What the photo's and the captions' Claude requests used, those that were made."""
        captions = self.report.captions
        lines = {
            "photo": usage_line(self.report.analysis_usage),
            "captions": usage_line(captions.usage if captions else None),
        }
        return [f"{label}: {line}" for label, line in lines.items() if line]


@dataclass(frozen=True)
class _IndexLine:
    name: str
    page: str
    summary: str
    newest: str


def brand_page(brand: str, entries: list[PageEntry], links: ReportLinks) -> str:
    """The runs of ``brand``, newest first."""
    page = templates().get_template("offline_brand.html")
    return page.render(brand=brand, entries=entries, links=links)


def index_page(pages: dict[str, tuple[str, list[PageEntry]]]) -> str:
    """A line per brand: its page, how many runs per status, the newest run's time."""
    lines = []
    for brand, (file_name, entries) in sorted(pages.items()):
        counts = Counter(entry.report.status for entry in entries)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        newest = entries[0].local_time if entries else "-"
        lines.append(_IndexLine(brand, file_name, summary, newest))
    return templates().get_template("offline_index.html").render(brands=lines)
