"""The watchdog (``RUN_MODE=watchdog``, ``python -m feedpub_apps.watchdog``): tells the teams
of the silences the worker cannot report about itself. A brand that has not posted for too
long, a schedule that missed or skipped slots or stays paused, Temporal out of reach.

It runs beside the worker and never needs it: it reads Temporal and the agent-outputs server,
claims what it tells there (so two watchdogs tell as one) and sends the messages itself.
``rules`` decides (pure), ``rounds`` reads and tells, ``telling`` claims and sends.
"""
