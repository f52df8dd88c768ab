"""P7's brands: a library of photos with mixed traits, what the photo look says of each (wrong
for some), and an audience with hidden tastes, all drawn from a seed."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import psycopg

from devstack.meta_emulator.audiences import Tastes, draw_tastes
from feedpub.photo_traits import FACT_DIMENSIONS, LOOK_DIMENSIONS

WRONG_SHARE = 0.15
"""The share of photos whose look, as Claude tells it, is wrong in one dimension (the issue's)."""


@dataclass(frozen=True)
class LibraryPhoto:
    key: str
    shown: tuple[str, ...]
    """The look traits the photo truly shows: what the audience responds to."""
    observed: tuple[str, ...]
    """Its traits in the ledger: the look as told (maybe wrong) and the measured facts."""


@dataclass(frozen=True)
class BenchBrand:
    name: str
    tastes: Tastes
    photos: tuple[LibraryPhoto, ...]


def make_brand(name: str, seed: int, photos: int, taken: set[frozenset[str]]) -> BenchBrand:
    """A brand whose audience's liked traits differ from those already ``taken``."""
    rng = random.Random(f"p7:{seed}:{name}")
    tastes = draw_tastes(f"p7:{seed}:{name}")
    attempt = 0
    while frozenset(tastes.liked) in taken:
        attempt += 1
        tastes = draw_tastes(f"p7:{seed}:{name}:{attempt}")
    taken.add(frozenset(tastes.liked))
    library = []
    for index in range(photos):
        look = {dimension: rng.choice(values) for dimension, values in LOOK_DIMENSIONS.items()}
        told = dict(look)
        if rng.random() < WRONG_SHARE:
            dimension = rng.choice(list(LOOK_DIMENSIONS))
            told[dimension] = rng.choice(
                [v for v in LOOK_DIMENSIONS[dimension] if v != look[dimension]]
            )
        facts = [f"{d}:{rng.choice(values)}" for d, values in FACT_DIMENSIONS.items()]
        library.append(
            LibraryPhoto(
                key=f"{name}/photo-{index:03d}.jpg",
                shown=tuple(f"{d}:{v}" for d, v in look.items()),
                observed=tuple(f"{d}:{v}" for d, v in told.items()) + tuple(facts),
            )
        )
    return BenchBrand(name, tastes, tuple(library))


def fill_ledger(database_url: str, ledger_brand: str, brand: BenchBrand, *, by_truth: bool) -> None:
    """The brand's photos as available rows of ``ledger_brand``, with their observed traits
    (or, for the oracle, those they truly show), in a shuffled order drawn from the name."""
    rng = random.Random(f"shuffle:{ledger_brand}")
    with (
        psycopg.connect(database_url) as conn,
        conn.cursor() as cur,
        cur.copy("COPY photos (brand, key, etag, size_bytes, traits, shuffle) FROM STDIN") as copy,
    ):
        for photo in brand.photos:
            traits = list(photo.shown if by_truth else photo.observed)
            copy.write_row(
                (ledger_brand, photo.key, '"e"', 1_000_000, json.dumps(traits), rng.random())
            )
