"""The worker (``RUN_MODE=worker``, ``python -m temporal_app.worker``).

The one place that wires clients: Temporal, the two MCP sessions and Claude. It closes them
on the way out.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any

import anthropic
from temporalio.client import Client
from temporalio.worker import Worker

from feedpub.brands import load_brands
from feedpub.settings import WorkerSettings, load_settings
from feedpub.startup import checked_all, configured_brands

from .activities import (
    BrandActivities,
    CheckActivities,
    ClaudeActivities,
    InsightsActivities,
    NoticeActivities,
    PhotoActivities,
    PublishActivities,
    ReportActivities,
    SlotActivities,
    TraitActivities,
)
from .captions.language import load_detector
from .client import TemporalUnreachable, connect_temporal
from .heartbeat import HeartbeatInterceptor
from .mcp_client import McpConnection
from .notifications import Destinations
from .observability.health import Health, serve_health
from .observability.metrics import PostMetrics, metrics_runtime
from .observability.tracing import Tracing
from .workflows.brand_checks import BrandChecksWorkflow
from .workflows.feed_publisher import FeedPublisherWorkflow
from .workflows.notifier import NotifyWorkflow
from .workflows.photo_traits import PhotoTraitsWorkflow
from .workflows.post_insights import PostInsightsWorkflow

__all__ = ["build_worker", "main", "run_worker", "worker_tuning"]

log = logging.getLogger("feedpub.worker")


def tracing_for(settings: WorkerSettings) -> Tracing:
    secret = settings.langfuse_secret_key
    return Tracing.connect(
        settings.langfuse_public_key,
        secret.get_secret_value() if secret else None,
        settings.langfuse_base_url,
    )


def destinations_for(
    settings: WorkerSettings, notify_env: Mapping[str, str] | None = None
) -> Destinations:
    """Where each brand's team is told: the ``NOTIFY_*`` variables the brands file names, read
    from ``notify_env`` (the process environment by default). SettingsError naming each one
    missing or unusable."""
    brands = load_brands(settings.brands_file)
    return Destinations.from_env(brands, os.environ if notify_env is None else notify_env)


def activities_for(
    settings: WorkerSettings,
    stack: AsyncExitStack,
    tracing: Tracing | None = None,
    *,
    destinations: Destinations | None = None,
    temporal: Client | None = None,
) -> list[Any]:
    """Every activity, bound to the MCP servers' connections, the Claude client (their closing
    pushed on ``stack``), the brands' destinations (``destinations_for(settings)`` when
    not given) and the Temporal client (a planned run's look at its brand's schedule; without
    it, a schedule counts as running)."""
    token = settings.mcp_auth_token.get_secret_value()
    feed = McpConnection("feed-publisher", settings.feed_publisher_mcp_url, token)
    outputs = McpConnection("agent-outputs", settings.agent_outputs_mcp_url, token)
    stack.push_async_callback(feed.close)
    stack.push_async_callback(outputs.close)
    claude = anthropic.AsyncAnthropic(
        api_key=settings.anthropic_api_key.get_secret_value(),
        base_url=settings.anthropic_base_url,
        max_retries=0,
        timeout=90.0,
        # One source for Claude's usage in traces: our generations, not the SDK's own spans.
        open_telemetry=False,
    )
    stack.push_async_callback(claude.close)
    brands = load_brands(settings.brands_file)
    photos = PhotoActivities(feed, outputs, brands)
    policy = BrandActivities(brands)
    writer = ClaudeActivities(
        feed,
        claude,
        brands,
        caption_model=settings.claude_model,
        tracing=tracing,
        agent_outputs=outputs,
    )
    traits = TraitActivities(feed, claude, model=settings.claude_traits_model, tracing=tracing)
    publish = PublishActivities(feed)
    reports = ReportActivities(outputs)
    checks = CheckActivities(brands, feed, outputs)
    insights = InsightsActivities(feed, outputs)
    slots = SlotActivities(settings.brands_file, brands, feed, temporal)
    notices = NoticeActivities(
        outputs,
        destinations or destinations_for(settings),
        brands,
        console_url=settings.console_public_url,
        send_timeout=settings.notice_send_timeout_seconds,
        link_secret=(
            settings.console_link_secret.get_secret_value()
            if settings.console_link_secret
            else None
        ),
    )
    return [
        policy.get_brand_policy,
        photos.reserve_photo,
        photos.check_photo,
        photos.prepare_media,
        photos.mark_photo_used,
        photos.reject_photo,
        photos.release_photo,
        writer.generate_caption,
        writer.submit_caption_batch,
        writer.collect_caption_batch,
        writer.cancel_caption_batch,
        publish.check_meta_token,
        publish.publish_facebook,
        publish.publish_instagram,
        publish.verify_post,
        reports.save_report,
        reports.claim_slot,
        reports.release_slot,
        slots.check_at_slot,
        notices.claim_notice,
        notices.close_notice_window,
        notices.send_notice,
        checks.brands_to_check,
        checks.count_unused_photos,
        checks.weekly_digest,
        checks.sweep_held_photos,
        insights.read_post_insights,
        insights.save_post_insights,
        traits.photos_to_look_at,
        traits.submit_traits_batch,
        traits.collect_traits_batch,
    ]


def worker_tuning() -> dict[str, Any]:
    """How much one worker runs at once; the speed benches give their floor the same."""
    return {"max_concurrent_activities": 200}


def build_worker(
    client: Client, settings: WorkerSettings, activities: Sequence[Any], tracing: Tracing
) -> Worker:
    return Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=[
            FeedPublisherWorkflow,
            NotifyWorkflow,
            BrandChecksWorkflow,
            PostInsightsWorkflow,
            PhotoTraitsWorkflow,
        ],
        activities=list(activities),
        interceptors=[
            HeartbeatInterceptor(),
            *([tracing.interceptor()] if tracing.enabled else []),
            PostMetrics.of(client),
        ],
        **worker_tuning(),
    )


async def serve_worker_health(
    settings: WorkerSettings, client: Client, stack: AsyncExitStack
) -> None:
    """``GET /healthz`` on its own probe sessions to the MCP servers (closed on ``stack``)."""
    token = settings.mcp_auth_token.get_secret_value()
    probes = [
        McpConnection("feed-publisher", settings.feed_publisher_mcp_url, token, timeout=10.0),
        McpConnection("agent-outputs", settings.agent_outputs_mcp_url, token, timeout=10.0),
    ]
    for probe in probes:
        stack.push_async_callback(probe.close)
    server = await serve_health(Health.of_worker(client, probes), str(settings.health_bind_address))
    stack.push_async_callback(server.wait_closed)
    stack.callback(server.close)
    log.info("health at http://%s/healthz", settings.health_bind_address)


async def run_worker(
    settings: WorkerSettings,
    *,
    stop: asyncio.Event | None = None,
    notify_env: Mapping[str, str] | None = None,
) -> None:
    """Run until ``stop`` is set (or SIGINT/SIGTERM when run as a program). The brands'
    destinations are read from ``notify_env`` (the process environment by default) first:
    a ``NOTIFY_*`` variable missing stops the worker before it connects to anything."""
    destinations = destinations_for(settings, notify_env)
    async with AsyncExitStack() as stack:
        tracing = tracing_for(settings)
        # In a thread: exporting the last spans to an unreachable Langfuse takes its timeout.
        stack.push_async_callback(asyncio.to_thread, tracing.shutdown)
        client = await connect_temporal(
            settings,
            runtime=metrics_runtime(settings.metrics_bind_address)
            if settings.metrics_bind_address
            else None,
        )
        if settings.health_bind_address:
            await serve_worker_health(settings, client, stack)
        activities = activities_for(
            settings, stack, tracing, destinations=destinations, temporal=client
        )
        worker = build_worker(client, settings, activities, tracing)
        language_model = asyncio.create_task(load_language_model(settings))
        async with worker:
            log.info("worker polling task queue %s", settings.temporal_task_queue)
            await (stop or asyncio.Event()).wait()
        await language_model


async def load_language_model(settings: WorkerSettings) -> None:
    """Load the caption language model (half a second, a peak of about 100 MB) while the worker
    starts, not during the first run's caption check with other runs in flight."""
    languages = {brand.language for brand in load_brands(settings.brands_file).values()}
    try:
        await asyncio.to_thread(load_detector, languages)
    except ValueError as exc:
        log.warning("caption language check: %s", exc)


def configured_destinations() -> Destinations:
    """The brands file (``BRANDS_FILE``) and the destinations it names, from the environment."""
    return Destinations.from_env(configured_brands(), os.environ)


def main(argv: Sequence[str] | None = None) -> None:
    argparse.ArgumentParser(
        prog="python -m temporal_app.worker",
        description="The feedpub Temporal worker: polls TEMPORAL_TASK_QUEUE and runs "
        "FeedPublisherWorkflow, NotifyWorkflow, BrandChecksWorkflow, PostInsightsWorkflow, "
        "PhotoTraitsWorkflow and their activities until SIGINT or SIGTERM. "
        "Configured by environment variables only (see .env.example).",
    ).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings, _ = checked_all(
        "feedpub worker", [lambda: load_settings(WorkerSettings), configured_destinations]
    )

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_worker(settings, stop=stop)

    try:
        asyncio.run(serve())
    except TemporalUnreachable as exc:
        print(f"feedpub worker: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
