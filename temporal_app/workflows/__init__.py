"""Workflows, orchestration only (no I/O): ``FeedPublisherWorkflow`` (``feed_publisher``, the
run's order), the steps every run takes the same way (``steps``), the approval gate
(``approval``), each activity's timeouts and retries (``policies``) and every patch id with
when it can be retired (``patches``)."""
