"""Prometheus metrics: Temporal's runtime metrics plus ours, on one endpoint.

Ours go through Temporal's metric meter, so the SDK serves them beside its own
(``temporal_*``) at ``http://METRICS_BIND_ADDRESS/metrics``. They are counted from
``save_report``'s input when that activity succeeds: the report is the one place that knows
how the whole run ended, and it is saved once per run (a completion lost after the report was
written would count it twice; Temporal's own counters show such retries).

- ``feedpub_posts{brand, platform, status}``: posts published, failed or skipped
  (a run that ended before publishing counts its platforms as failed, or as skipped when it
  was a dry run, rejected or expired).
- ``feedpub_runs{brand, status}``: runs by how they ended.
- ``feedpub_caption_cost_usd{brand}``: Claude's cost of writing a run's captions (``_sum``
  is the total).
- ``feedpub_step_seconds{brand, step}``: time per step as the workflow measured it,
  retries and their waits included (``save_report``'s own: its successful attempt).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.common import MetricMeter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from feedpub.contract.run import PublishReport

__all__ = ["PostMetrics", "metrics_runtime"]

STEP_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800)
COST_BUCKETS = (0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5)


def metrics_runtime(bind_address: str) -> Runtime:
    """A Temporal runtime serving Prometheus metrics at ``bind_address`` (``host:port``)."""
    return Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=bind_address,
                histogram_bucket_overrides={
                    "feedpub_step_seconds": STEP_BUCKETS,
                    "feedpub_caption_cost_usd": COST_BUCKETS,
                },
            )
        )
    )


class PostMetrics(Interceptor):
    """Our instruments on a client's runtime (no-ops when it serves no metrics)."""

    def __init__(self, meter: MetricMeter) -> None:
        self.posts = meter.create_counter("feedpub_posts", "Posts by brand, platform and status")
        self.runs = meter.create_counter("feedpub_runs", "Runs by brand and how they ended")
        self.cost = meter.create_histogram_float(
            "feedpub_caption_cost_usd", "Claude's cost of one run's captions", "USD"
        )
        self.step = meter.create_histogram_float(
            "feedpub_step_seconds", "Time per step, retries included", "s"
        )

    @classmethod
    def of(cls, client: Client) -> PostMetrics:
        runtime = client.service_client.config.runtime or Runtime.default()
        return cls(runtime.metric_meter)

    def record(self, report: PublishReport) -> None:
        brand = report.brand
        self.runs.add(1, {"brand": brand, "status": report.status})
        for platform in ("facebook", "instagram"):
            result = getattr(report, platform)
            if result is not None:
                status = result.status
            else:
                status = "failed" if report.status == "failed" else "skipped"
            self.posts.add(1, {"brand": brand, "platform": platform, "status": status})
        cost = report.captions.usage.cost_usd if report.captions else None
        if cost is not None:
            self.cost.record(cost, {"brand": brand})
        for step, seconds in report.timings.items():
            self.step.record(seconds, {"brand": brand, "step": step})

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Counted(next, self)


class _Counted(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, metrics: PostMetrics) -> None:
        super().__init__(next)
        self._metrics = metrics

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        started = time.monotonic()
        result = await super().execute_activity(input)
        report = input.args[0] if input.args else None
        if activity.info().activity_type == "save_report" and isinstance(report, PublishReport):
            # The report's timings end before this step: add its own time.
            spent = round(time.monotonic() - started, 3)
            self._metrics.record(
                dataclasses.replace(report, timings={**report.timings, "save_report": spent})
            )
        return result
