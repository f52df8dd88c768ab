"""Timeouts and retry policies of every activity; the README's table mirrors this file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio.common import RetryPolicy


@dataclass(frozen=True)
class StepPolicy:
    start_to_close: timedelta
    retry: RetryPolicy
    heartbeat: timedelta | None = timedelta(seconds=15)
    """Every activity heartbeats (temporal_app.heartbeat): a lost worker shows in seconds."""
    local: bool = False
    """A short step that runs recorded by ``patches.LOCAL_SHORT_STEPS`` took as a local
    activity: replaying them needs to know. New runs take every step as an ordinary activity
    (``patches.SHORT_STEPS_AS_ACTIVITIES``)."""


def _retry(initial: float, maximum: float, attempts: int, *permanent: str) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=initial),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=maximum),
        maximum_attempts=attempts,
        non_retryable_error_types=list(permanent),
    )


# Attempts and intervals let a step ride out a backend (PostgreSQL, S3, an MCP server, Meta,
# Claude) being away for about half an hour; permanent errors are never retried.
RESERVE_PHOTO = StepPolicy(
    timedelta(seconds=60), _retry(2, 120, 20, "NoUnusedPhoto", "UnknownBrand"), local=True
)
ANALYZE_PHOTO = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12, "PhotoRejected"))
GENERATE_CAPTION = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12, "UnknownBrand"))
# Captions by Message Batch, for runs planned ahead: sending and looking are Claude calls like
# generate_caption (a look may regenerate the captions through the ordinary API). Cancelling
# comes at the batch cut-off, before the ordinary request: it gives up within minutes.
SUBMIT_CAPTION_BATCH = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12, "UnknownBrand"))
COLLECT_CAPTION_BATCH = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12, "UnknownBrand"))
CANCEL_CAPTION_BATCH = StepPolicy(timedelta(seconds=30), _retry(2, 60, 6))
PREPARE_MEDIA = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12, "PhotoRejected"))
PUBLISH_FACEBOOK = StepPolicy(timedelta(seconds=180), _retry(5, 300, 12))
PUBLISH_INSTAGRAM = StepPolicy(timedelta(seconds=600), _retry(5, 300, 12))
# Reading the live post back only tells: three quick attempts, then "not checked", rather
# than hold the run, or add to Meta's throttling of an account already throttled.
VERIFY_POST = StepPolicy(
    timedelta(seconds=60), _retry(1, 5, 3, "UnknownBrand", "BadPostId", "PostNotOfBrand")
)
# Bookkeeping must not be lost: many attempts.
MARK_PHOTO_USED = StepPolicy(
    timedelta(seconds=30), _retry(2, 120, 30, "PhotoNotReserved"), local=True
)
REJECT_PHOTO = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
RELEASE_PHOTO = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
SAVE_REPORT = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30), local=True)
# A planned run's (brand, slot) claim: bookkeeping on the agent-outputs server, retried as long
# as it may be away; the claim answers the same when asked again.
CLAIM_SLOT = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
RELEASE_SLOT = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
CHECK_META_TOKEN = StepPolicy(timedelta(seconds=30), _retry(2, 120, 12), local=True)
GET_BRAND_POLICY = StepPolicy(timedelta(seconds=10), _retry(1, 30, 10, "UnknownBrand"), local=True)
# A planned run's look at its slot stands between the slot and the post: quick retries only;
# a look that cannot be made fails the run, whose team is told.
CHECK_AT_SLOT = StepPolicy(timedelta(seconds=20), _retry(1, 10, 6))
# Telling the team (NotifyWorkflow): the claim and the window are bookkeeping on the
# agent-outputs server, retried as long as it may be away. Sending gives each destination one
# try per attempt (WorkerSettings.notice_send_timeout_seconds at most) and records a failure
# instead of raising, so a dead destination is never retried forever; the attempts here ride
# out the agent-outputs server being away while deliveries are looked up or recorded.
CLAIM_NOTICE = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
CLOSE_NOTICE_WINDOW = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
SEND_NOTICE = StepPolicy(timedelta(seconds=120), _retry(5, 300, 12))
# The brands' checks run every hour: each gives up well within it, and a check that cannot be
# done is said in the checks' report and done again at the next day's check.
BRANDS_TO_CHECK = StepPolicy(timedelta(seconds=10), _retry(1, 30, 5, "UnknownBrand"))
COUNT_UNUSED_PHOTOS = StepPolicy(timedelta(seconds=30), _retry(2, 120, 10))
WEEKLY_DIGEST = StepPolicy(timedelta(seconds=60), _retry(2, 120, 10))
SWEEP_HELD_PHOTOS = StepPolicy(timedelta(seconds=120), _retry(2, 120, 10))
# A post's figures (PostInsightsWorkflow), a day and a week after it went out: nothing waits
# for them, so the read rides out Meta or a server away for about an hour before the age is
# given up; keeping them is bookkeeping, retried as long as the agent-outputs server may be
# away.
READ_POST_INSIGHTS = StepPolicy(
    timedelta(seconds=120), _retry(10, 600, 12, "UnknownBrand", "MetaTokenInvalid")
)
SAVE_POST_INSIGHTS = StepPolicy(timedelta(seconds=30), _retry(2, 120, 30))
# The trait look of a brand's unused photos (PhotoTraitsWorkflow): nothing waits for it, and a
# look that cannot be made now is made at the next hour's start. Sending reads up to 50 photos
# through the feed-publisher; collecting stores up to 50 answers there.
PHOTOS_TO_LOOK_AT = StepPolicy(timedelta(seconds=60), _retry(2, 120, 10, "UnknownBrand"))
SUBMIT_TRAITS_BATCH = StepPolicy(timedelta(seconds=300), _retry(5, 300, 10, "UnknownBrand"))
COLLECT_TRAITS_BATCH = StepPolicy(timedelta(seconds=300), _retry(5, 300, 10, "UnknownBrand"))
