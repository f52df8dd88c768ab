"""Printing a run's report for a person at a terminal."""

from __future__ import annotations

import textwrap

from temporal_app.models import PlatformResult, PublishReport

__all__ = ["format_report"]


def _platform(result: PlatformResult | None) -> str:
    if result is None:
        return "not attempted"
    if result.status == "published":
        return f"published, id {result.post_id}"
    return f"{result.status}: {result.reason}"


def _indent(text: str) -> str:
    return textwrap.indent(textwrap.fill(text, 88, replace_whitespace=False), "      ")


def format_report(report: PublishReport) -> str:
    lines = [
        f"== {report.brand}: {report.status.upper()}  (run {report.run_id})",
        f"   workflow   {report.workflow_id}",
        f"   photo      {report.photo_key or '-'}",
        f"   media      {report.media_key or '-'}",
        f"   facebook   {_platform(report.facebook)}",
        f"   instagram  {_platform(report.instagram)}",
    ]
    if report.reason:
        lines.append(f"   reason     {report.reason}")
    for rejected in report.rejected_photos:
        lines.append(f"   rejected   {rejected}")
    if report.captions:
        lines.append("   facebook caption:")
        lines.append(_indent(report.captions.facebook))
        lines.append("   instagram caption:")
        lines.append(_indent(report.captions.instagram))
        lines.append(f"   alt text   {report.captions.alt_text}")
    if report.timings:
        steps = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in report.timings.items())
        lines.append(f"   timings    {steps}")
    return "\n".join(lines)
