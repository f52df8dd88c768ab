"""Hostile Meta answers, served by the Meta emulator to the real Graph client: each is read as
what it is (a throttle is no invalid token, a bare 429 no refused post), and no header can
make the worker wait more than an hour, wait a negative time, or crash."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench.hostile_answers import as_the_worker_sees_it, classified, meta_answer
from bench.hostile_cases import META_CASES, PERMANENT, RETRIED, TOKEN_INVALID, MetaAnswerCase


@pytest.mark.parametrize("case", META_CASES, ids=[case.name for case in META_CASES])
async def test_each_hostile_meta_answer_has_the_outcome_it_deserves(case: MetaAnswerCase) -> None:
    failure = classified(case, await meta_answer(case))

    assert failure.type == case.error_type
    assert failure.retryable is (case.outcome == RETRIED)
    if case.outcome == RETRIED:
        assert not failure.token_problem, "a retried answer must raise no token alert"
    if case.outcome == PERMANENT:
        assert failure.type != "MetaTokenInvalid"
    if case.outcome == TOKEN_INVALID:
        assert failure.token_problem
    retried, delay = as_the_worker_sees_it(failure)
    assert retried is failure.retryable
    expected = None if case.retry_delay is None else timedelta(seconds=case.retry_delay)
    assert delay == expected
