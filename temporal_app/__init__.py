"""The Temporal side of feedpub: the FeedPublisherWorkflow, its activities, the worker,
the client and (in ``schedules``) the per-brand schedules."""
