"""Workflows, orchestration only (no I/O): ``FeedPublisherWorkflow`` (``feed_publisher``, the
run's order), the steps every run takes the same way (``steps``), choosing the run's photo
(``photo_choice``), the approval gate (``approval``), a planned run's path to its slot
(``planned``: its plan in ``plan``, made and made again in ``plan_making``, captions by batch in
``caption_batch``, its looks at the cut-off and at the slot in ``slot_looks``), what a run
tells its team (``run_notices``), ``NotifyWorkflow`` (``notifier``: one notice claimed and
sent), which any workflow starts with ``tell()`` (``notify``), ``BrandChecksWorkflow``
(``brand_checks``: every brand's daily checks and weekly digest), each activity's timeouts and
retries (``policies``) and every patch id with when it can be retired (``patches``)."""
