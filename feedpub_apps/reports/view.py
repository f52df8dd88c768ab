"""Printing a run's report and progress for a person at a terminal."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Callable
from typing import Any

from temporalio.client import WorkflowHandle

from feedpub.contract.run import PROGRESS, PlatformResult, Progress, PublishReport

from .steps import in_run_order
from .table import live_words

__all__ = ["follow", "format_report"]


async def follow(brand: str, handle: WorkflowHandle[Any, Any], say: Callable[[str], Any]) -> None:
    """Print each step of the run as it finishes, and a wait for approval, until the run ends."""
    printed, waiting_shown = 0, False
    while True:
        # Whether the run has ended is read first: the steps queried next then include its
        # last ones, which may all finish between two looks.
        description = await handle.describe()
        closed = bool(description.status and description.status.name != "RUNNING")
        try:
            progress = await handle.query(PROGRESS, result_type=Progress)
        except Exception:  # the run may be between tasks
            progress = Progress(step="")
        for step in progress.done[printed:]:
            say(f"   {brand:<10} {step} done")
        printed = max(printed, len(progress.done))
        if progress.step == "awaiting_approval" and not waiting_shown:
            waiting_shown = True
            say(f"   {brand:<10} awaiting approval until {progress.awaiting_approval_until}")
            say(f"   {'':<10} feedpub approve|reject|edit {handle.id}")
        if closed or progress.step == "done":
            return
        await asyncio.sleep(0.3)


def _platform(result: PlatformResult | None) -> str:
    if result is None:
        return "not attempted"
    if result.status == "published":
        live = live_words(result)
        return f"published, id {result.post_id}" + (f"; {live}" if live else "")
    return f"{result.status}: {result.reason}"


def _indent(text: str) -> str:
    return textwrap.indent(textwrap.fill(text, 88, replace_whitespace=False), "      ")


def format_report(report: PublishReport) -> str:
    lines = [
        f"== {report.brand}: {report.status.upper()}  (run {report.run_id})",
        f"   workflow   {report.workflow_id}",
        f"   photo      {report.photo_key or '-'}",
        *([f"   chosen     {report.photo_choice}"] if report.photo_choice else []),
        f"   media      {report.media_key or '-'}",
        f"   facebook   {_platform(report.facebook)}",
        f"   instagram  {_platform(report.instagram)}",
    ]
    for warning in report.warnings:
        lines.append(f"   WARNING    {warning}")
    if report.approval:
        lines.append(f"   approval   {report.approval}")
    if report.reason:
        lines.append(f"   reason     {report.reason}")
    for rejected in report.rejected_photos:
        lines.append(f"   rejected   {rejected}")
    for set_aside in report.set_aside_photos:
        lines.append(f"   set aside  {set_aside}")
    if report.captions:
        lines.append("   facebook caption:")
        lines.append(_indent(report.captions.facebook))
        lines.append("   instagram caption:")
        lines.append(_indent(report.captions.instagram))
        lines.append(f"   alt text   {report.captions.alt_text}")
    if report.description:
        lines.append("   Claude saw:")
        lines.append(_indent(report.description))
    if report.cost_usd is not None:
        lines.append(f"   Claude     ${report.cost_usd:.4f}")
    if report.timings:
        steps = ", ".join(
            f"{name} {seconds:.2f}s" for name, seconds in in_run_order(report.timings)
        )
        lines.append(f"   timings    {steps}")
    return "\n".join(lines)
