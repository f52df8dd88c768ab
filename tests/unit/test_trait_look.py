"""The trait look: Claude's answer read and checked, the request's ids, the emulator's answer
wrong for a fixed share of photos, and the setting naming the model."""

from __future__ import annotations

import hashlib
import json

import pytest

from devstack.anthropic_emulator.trait_look import WRONG_SHARE, is_trait_look, trait_answer
from feedpub.photo_traits import LOOK_DIMENSIONS, traits_from_look
from feedpub.settings import SettingsError, WorkerSettings, load_settings
from temporal_app.traits.look import LOOK_SCHEMA, custom_id_of, look_of

TRUTH = {"subject": "portrait", "setting": "outdoors", "people": "people", "season": "summer"}


def test_an_answer_is_read_as_its_fields_and_checked_against_the_vocabulary() -> None:
    look = look_of(json.dumps(TRUTH))
    assert traits_from_look(look) == [
        "subject:portrait", "setting:outdoors", "people:people", "season:summer",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not JSON"):
        look_of("Sure! It shows a suit.")
    with pytest.raises(ValueError, match="not a JSON object"):
        look_of('["portrait"]')
    with pytest.raises(ValueError, match="'people'"):
        traits_from_look(look_of(json.dumps({**TRUTH, "people": "a couple"})))


def test_each_photo_of_a_batch_has_its_own_valid_custom_id() -> None:
    ids = [custom_id_of(n, f"pomandi/2026/été {n}.jpg") for n in range(3)]
    ids.append(custom_id_of(3, "pomandi/" + "x" * 100 + ".jpg"))
    assert ids[0] == "p0--t--0-jpg"
    assert len(set(ids)) == 4
    assert all(len(i) <= 64 and i.replace("-", "").replace("_", "").isalnum() for i in ids)


def test_the_emulator_knows_a_trait_look_by_its_schema() -> None:
    assert is_trait_look(LOOK_SCHEMA)
    assert not is_trait_look({"properties": {"description": {}, "subject": {}}})
    assert not is_trait_look(None)


def test_the_emulator_is_wrong_in_one_dimension_for_a_fixed_share_of_photos() -> None:
    digests = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(2000)]
    answers = [json.loads(trait_answer(TRUTH, digest)) for digest in digests]
    differing = [sum(a[d] != TRUTH[d] for d in TRUTH) for a in answers]
    assert set(differing) == {0, 1}
    assert abs(differing.count(1) / len(digests) - WRONG_SHARE) < 0.025
    assert [trait_answer(TRUTH, d) for d in digests[:50]] == [
        trait_answer(TRUTH, d) for d in digests[:50]
    ]
    for answer in answers:
        traits_from_look(answer)  # every wrong value is still one of the vocabulary


def test_a_photo_without_a_mark_gets_an_answer_drawn_from_its_hash() -> None:
    answers = {trait_answer(None, hashlib.sha256(bytes([n])).hexdigest()) for n in range(40)}
    assert len(answers) > 10
    for answer in answers:
        assert set(json.loads(answer)) == set(LOOK_DIMENSIONS)
        traits_from_look(json.loads(answer))
    digest = hashlib.sha256(b"one photo").hexdigest()
    assert trait_answer(None, digest) == trait_answer(None, digest)


def test_the_traits_model_defaults_to_the_cheapest_and_a_bad_id_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CLAUDE_TRAITS_MODEL", "CLAUDE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MCP_AUTH_TOKEN", "mcp-token-7f3a9c0d1e2f3a4b5c6d7e8f")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    assert load_settings(WorkerSettings).claude_traits_model == "claude-haiku-5-5"

    monkeypatch.setenv("CLAUDE_TRAITS_MODEL", "haiku please")
    with pytest.raises(SettingsError) as caught:
        load_settings(WorkerSettings)
    assert "CLAUDE_TRAITS_MODEL must be a Claude model id, e.g. claude-haiku-5-5" in str(
        caught.value
    )
