"""A local stand-in for Langfuse's OTLP endpoint: it decodes what arrives, keeps it, and draws
each trace as a tree.

    .venv/bin/python -m devstack.trace_receiver [--port 4318]

Point a worker (or ``make run``) at it with ``LANGFUSE_BASE_URL=http://127.0.0.1:4318`` and any
``LANGFUSE_PUBLIC_KEY`` / ``LANGFUSE_SECRET_KEY``; ``make run ARGS=--traces`` does that on its
own. The tests use it to assert the tree.
"""

from __future__ import annotations

import argparse
import gzip
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

__all__ = ["OTLP_PATH", "OtlpReceiver", "attributes", "draw_traces"]

OTLP_PATH = "/api/public/otel/v1/traces"

_SHOWN = (
    "langfuse.observation.type",
    "langfuse.observation.model.name",
    "langfuse.observation.metadata.attempt",
    "langfuse.observation.usage_details",
    "langfuse.observation.cost_details",
    "langfuse.observation.level",
)
"""Span attributes worth a glance in the drawing (the rest stays in ``spans``)."""


class OtlpReceiver:
    """Keeps every span it receives; with ``delay``, answers each request that much later
    (a slow Langfuse)."""

    def __init__(self, delay: float = 0.0, port: int = 0) -> None:
        self.spans: list[Any] = []
        self.arrivals: list[float] = []
        """``time.monotonic()`` of each request's arrival."""
        self.raw: list[bytes] = []
        self.authorizations: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.arrivals.append(time.monotonic())
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                receiver.raw.append(body)
                receiver.authorizations.append(self.headers.get("authorization", ""))
                if self.path == OTLP_PATH:
                    request = ExportTraceServiceRequest()
                    request.ParseFromString(body)
                    for resource in request.resource_spans:
                        for scope in resource.scope_spans:
                            receiver.spans.extend(scope.spans)
                if delay:
                    time.sleep(delay)
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def attributes(span: Any) -> dict[str, Any]:
    found = {}
    for attribute in span.attributes:
        value = attribute.value
        found[attribute.key] = (
            getattr(value, value.WhichOneof("value")) if value.WhichOneof("value") else None
        )
    return found


def draw_traces(spans: Iterable[Any]) -> list[str]:
    """One drawing per trace: its id and name, then each span under its parent, in start
    order. A span whose parent never arrived is drawn at the top, marked ``(orphan)``."""
    by_trace: dict[bytes, list[Any]] = defaultdict(list)
    for span in spans:
        by_trace[span.trace_id].append(span)
    return [_draw(trace_id, found) for trace_id, found in by_trace.items()]


def _draw(trace_id: bytes, spans: list[Any]) -> str:
    ids = {span.span_id for span in spans}
    children: dict[bytes, list[Any]] = defaultdict(list)
    for span in spans:
        children[span.parent_span_id if span.parent_span_id in ids else b""].append(span)
    names = {attributes(s).get("langfuse.trace.name") for s in spans} - {None}
    lines = [f"trace {trace_id.hex()}  {', '.join(sorted(map(str, names)))}  {len(spans)} spans"]

    def walk(parent: bytes, depth: int) -> None:
        for span in sorted(children.get(parent, []), key=lambda s: s.start_time_unix_nano):
            took = (span.end_time_unix_nano - span.start_time_unix_nano) / 1e6
            found = attributes(span)
            shown = " ".join(f"{k.rsplit('.', 1)[1]}={found[k]}" for k in _SHOWN if k in found)
            orphan = " (orphan)" if depth == 0 and span.parent_span_id else ""
            lines.append(
                f"{'  ' * (depth + 1)}{span.name}{orphan}  {took:.0f} ms  {shown}".rstrip()
            )
            walk(span.span_id, depth + 1)

    walk(b"", 0)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.trace_receiver",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=4318)
    parser.add_argument("--quiet-seconds", type=float, default=3.0,
                        help="draw a trace once no span of it arrived for this long")  # fmt: skip
    args = parser.parse_args()
    receiver = OtlpReceiver(port=args.port)
    print(f"receiving traces at {receiver.url}{OTLP_PATH}; Ctrl-C stops", flush=True)
    drawn: dict[bytes, int] = {}
    try:
        while True:
            time.sleep(0.5)
            if (
                not receiver.arrivals
                or time.monotonic() - receiver.arrivals[-1] < args.quiet_seconds
            ):
                continue
            spans = list(receiver.spans)
            for trace_id, count in _counts(spans).items():
                if drawn.get(trace_id) != count:
                    drawn[trace_id] = count
                    print(_draw(trace_id, [s for s in spans if s.trace_id == trace_id]), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()


def _counts(spans: list[Any]) -> dict[bytes, int]:
    counts: dict[bytes, int] = defaultdict(int)
    for span in spans:
        counts[span.trace_id] += 1
    return counts


if __name__ == "__main__":
    main()
