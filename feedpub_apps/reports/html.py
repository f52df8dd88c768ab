"""Static HTML pages of saved reports: one per brand and an index, readable from disk.

Everything shown is escaped (captions are Claude's or a person's text); the pages load nothing
but the posted images written next to them, and carry their CSS inline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from feedpub.contract.run import ClaudeUsage, PlatformResult, PublishReport

from .links import ReportLinks
from .table import format_cost, why

__all__ = ["PageEntry", "brand_page", "index_page"]

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;
color:#1d1d1f;background:#f6f6f4}
h1{margin:0 0 1rem}a{color:#0b57d0}
article{display:grid;grid-template-columns:minmax(0,340px) 1fr;gap:1.25rem;background:#fff;
border-radius:10px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 3px #0002}
img{width:100%;height:auto;border-radius:6px;display:block}
.noimage{aspect-ratio:4/5;display:grid;place-items:center;background:#eee;color:#666;
border-radius:6px;text-align:center;padding:1rem}
h2{font-size:1.05rem;margin:0 0 .4rem}
.status{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.85em;color:#fff}
.published{background:#1e7d32}.partial{background:#b26a00}.dry_run{background:#546e7a}
.failed,.rejected,.expired{background:#b3261e}
.caption{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ddd;padding:.4rem .6rem;
margin:.2rem 0 .6rem}
dt{font-weight:600;margin-top:.4rem}dd{margin:0}
.meta{color:#555;font-size:.9em}
table{border-collapse:collapse}
td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}
@media (max-width:700px){article{grid-template-columns:1fr}}
"""


@dataclass(frozen=True)
class PageEntry:
    """One run on a brand's page."""

    report: PublishReport
    local_time: str
    image_path: str | None
    """The posted image, relative to the page; None when there is none to show."""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _link(url: str | None, text: str) -> str:
    if url is None:
        return escape(text)
    return f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(text)}</a>'


def _platform(result: PlatformResult | None, url: str | None) -> str:
    if result is None:
        return "not attempted"
    if result.status == "published":
        return _link(url, f"published ({result.post_id})")
    return escape(f"{result.status}: {result.reason or 'no reason given'}")


def _usage(label: str, usage: ClaudeUsage | None) -> str:
    if usage is None or not usage.model:
        return ""
    return escape(
        f"{label}: {usage.model}, {usage.input_tokens:,} in / {usage.output_tokens:,} out"
        f" ({usage.cache_read_input_tokens:,} cached), {format_cost(usage.cost_usd)}"
    )


def _entry(entry: PageEntry, links: ReportLinks) -> str:
    report = entry.report
    captions = report.captions
    alt = captions.alt_text if captions else f"photo {report.photo_key or ''}"
    picture = (
        f'<img src="{escape(entry.image_path)}" alt="{escape(alt)}">'
        if entry.image_path
        else '<div class="noimage">no posted image to show</div>'
    )
    details = [
        f"<h2>{escape(entry.local_time)} "
        f'<span class="status {escape(report.status)}">{escape(report.status)}</span></h2>',
        f'<p class="meta">photo {escape(report.photo_key or "-")}</p><dl>',
        f"<dt>Facebook</dt><dd>{_platform(report.facebook, links.facebook(report))}</dd>",
        f"<dt>Instagram</dt><dd>{_platform(report.instagram, links.instagram(report))}</dd>",
    ]
    if reason := why(report):
        details.append(f"<dt>Reason</dt><dd>{escape(reason)}</dd>")
    if report.approval:
        details.append(f"<dt>Approval</dt><dd>{escape(report.approval)}</dd>")
    if captions:
        details += [
            f'<dt>Facebook caption</dt><dd class="caption">{escape(captions.facebook)}</dd>',
            f'<dt>Instagram caption</dt><dd class="caption">{escape(captions.instagram)}</dd>',
            f"<dt>Alt text</dt><dd>{escape(captions.alt_text)}</dd>",
        ]
    usage = [
        _usage("photo", report.analysis_usage),
        _usage("captions", captions.usage if captions else None),
    ]
    cost = "not known" if report.cost_usd is None else format_cost(report.cost_usd)
    details.append(f"<dt>Cost</dt><dd>{escape(cost)}")
    details += [f'<br><span class="meta">{line}</span>' for line in usage if line]
    trace = links.trace(report)
    details.append(
        f'</dd></dl><p class="meta">{_link(links.run(report), "run in Temporal")}'
        + (f" · {_link(trace, 'trace in Langfuse')}" if trace else "")
        + f" · run {escape(report.run_id)}</p>"
    )
    return f"<article>{picture}<div>{''.join(details)}</div></article>"


def brand_page(brand: str, entries: list[PageEntry], links: ReportLinks) -> str:
    """The runs of ``brand``, newest first."""
    runs = "\n".join(_entry(entry, links) for entry in entries) or "<p>No reports.</p>"
    heading = f'<p><a href="index.html">all brands</a></p><h1>{escape(brand)}</h1>'
    return _page(f"feedpub: {brand}", f"{heading}\n{runs}")


def index_page(pages: dict[str, tuple[str, list[PageEntry]]]) -> str:
    """A line per brand: its page, how many runs per status, the newest run's time."""
    rows = []
    for brand, (file_name, entries) in sorted(pages.items()):
        counts = Counter(entry.report.status for entry in entries)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        newest = entries[0].local_time if entries else "-"
        rows.append(
            f'<tr><td><a href="{escape(file_name)}">{escape(brand)}</a></td>'
            f"<td>{escape(summary)}</td><td>{escape(newest)}</td></tr>"
        )
    table = "<table><tr><th>Brand</th><th>Runs</th><th>Newest</th></tr>" + "".join(rows)
    return _page("feedpub reports", f"<h1>feedpub reports</h1>\n{table}</table>")
