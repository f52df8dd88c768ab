"""What the worker shows of itself: Langfuse traces with Temporal's spans in one tree
(``tracing``, ``trace_tree``, ``activity_spans``), Prometheus metrics (``metrics``) and
``GET /healthz`` (``health``)."""
