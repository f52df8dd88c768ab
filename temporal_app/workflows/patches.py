"""Every ``workflow.patched`` id of FeedPublisherWorkflow and BrandChecksWorkflow, once, with
when it can be retired.

A patch lets a run recorded by older code replay as it was recorded while new runs take the
new path. Its old branch can go once no run recorded before it can still be open or replayed:
after the longest a run lives (its steps' retries plus the approval wait: about a day), and
once the histories in ``tests/fixtures/histories/`` that need it are dropped with it.
"""

from __future__ import annotations

__all__ = [
    "BRAND_POLICY",
    "DRY_RUN_CLAIMS_NO_SLOT",
    "HELD_PHOTOS_SWEPT",
    "LOCAL_SHORT_STEPS",
    "META_TOKEN_CHECK",
    "PHOTOS_UNTIL_ONE_WORKS",
    "PHOTO_TRAITS_LOOKED_AT",
    "POST_INSIGHTS",
    "REFUSED_PHOTO_REJECTED",
    "SHORT_STEPS_AS_ACTIVITIES",
    "TELL_THE_TEAM",
    "VERIFY_LIVE_POST",
]

BRAND_POLICY = "brand-policy"
"""Runs read the brand's policy (approval) first. Runs recorded without it (fixture
``v1-first``) assume no approval. Retire with ``v1-first``."""

META_TOKEN_CHECK = "meta-token-check"
"""Runs ask Meta about the brand's token before taking a photo. Retire with ``v1-first``."""

REFUSED_PHOTO_REJECTED = "refused-photo-rejected"
"""A photo Claude declines to caption is rejected and the next one taken; runs recorded
before (``v2-policy-and-token-check/refused_photo``) failed instead. Retire with ``v2-*``."""

LOCAL_SHORT_STEPS = "local-short-steps"
"""Runs recorded by ``v3-local-steps`` ran their short steps as local activities. Asked only
when ``SHORT_STEPS_AS_ACTIVITIES`` is absent, so new runs never record it. Retire, together
with ``StepPolicy.local``, once no ``v3`` run is open (see the README's upgrade notes)."""

SHORT_STEPS_AS_ACTIVITIES = "short-steps-as-activities"
"""Every step is an ordinary activity. Local activities awaited one after another can be
handed the wrong result on replay (temporalio/sdk-python#1881: since 1.32 the core groups
their resolutions differently on replay than live), which breaks queries, cache evictions
and worker restarts; ordinary activities replay as they ran. Keep it while ``v3`` runs may
be open; after that, ``LOCAL_SHORT_STEPS`` goes and this one can be deprecated. Runs recorded
with it: ``v4-ordinary-activities``."""

PHOTOS_UNTIL_ONE_WORKS = "photos-until-one-works"
"""A run goes on taking photos until one works (within the brand's ``photo_search_seconds``);
runs recorded before stopped after three unusable ones. Asked at a run's first rejection.
Retire once no run recorded by ``v3-local-steps`` or earlier can be open."""

TELL_THE_TEAM = "tell-the-team"
"""A run tells the brand's team (``notify.tell``, a notifier started as a child it does not
wait for): when it starts waiting for approval and when that expires, and at its end (failed,
partial, back to normal, the token expiring or refused). Runs recorded before (``v1`` to
``v4``) start no child. Asked when the approval wait begins, else after the report is saved.
Retire once no run recorded by ``v4-ordinary-activities`` or earlier can be open."""

DRY_RUN_CLAIMS_NO_SLOT = "dry-run-claims-no-slot"
"""A planned dry run claims no (brand, slot): its claim would leave the run that posts at
that slot ``skipped``. Asked only by planned dry runs; those recorded before claimed the slot.
Retire once no planned dry run recorded before it can be open (a run lives at most its
``plan_ahead``, 72 h, plus a day)."""

VERIFY_LIVE_POST = "verify-live-post"
"""After publishing, a run reads each published post back (``verify_post``), looking again on
durable timers for a post not found yet, and the report says ``verified`` or the difference.
Asked once something was published; runs recorded before go from publishing straight to
marking the photo used. Retire once no run recorded before it can be open (about a day)."""
POST_INSIGHTS = "post-insights"
"""A run that published (not a dry run) starts a ``PostInsightsWorkflow`` as a child it does
not wait for, after its report is saved: the post's figures at +24 h and +7 d. Runs recorded
before (``v1`` to ``v4`` and the planned ones) start none. Asked after the report is saved,
only by runs that published. Retire once no run recorded before it can be open (a day, or a
planned run's ``plan_ahead`` plus a day)."""

# BrandChecksWorkflow: a run lives minutes, and a worker replays one only while it runs.

HELD_PHOTOS_SWEPT = "held-photos-swept"
"""After the brands' checks, a run gives back the photos held by runs that no longer exist
(``sweep_held_photos``); runs recorded before (``tests/fixtures/check_histories/v1-checks``)
end after the checks. Retire an hour after every worker runs this code, with that history."""

PHOTO_TRAITS_LOOKED_AT = "photo-traits-looked-at"
"""Each run starts the trait look (``PhotoTraitsWorkflow``, not awaited) of every brand whose
``learning`` is not ``off``; runs recorded before (``v1-checks``, ``v2-held-photos-swept``)
start none; ``v3-trait-looks-started`` starts one. Retire an hour after every worker runs this
code, with the two older histories."""
