"""The reservation of the photo whose traits weigh most: the learned photo choice, inside the
one atomic statement that reserves.

The weights (a trait -> a number, from one draw of what the brand's audience was learned to
respond to) go into the statement; PostgreSQL scores each available photo by the sum of its
traits' weights, and the highest one not locked by another run is reserved. A photo with no
traits yet scores 0, the score of an average photo, so it is still taken. Ties fall to the
shuffled order. Nothing reads the photos first and reserves them after.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["MAX_WEIGHTS", "RESERVE_WEIGHTED", "weight_arrays"]

MAX_WEIGHTS = 500
"""More weights than this is not a trait vocabulary: refused rather than scored."""

# The score is computed for every available photo of the brand and the top one taken (a top-1
# sort; no index can hold a score that changes with every draw). Measured on a loaded 2-core
# machine: 10 ms among 400 photos, 23 ms among 4,000, 0.24–0.34 s among 40,000 (the random
# statement: under 5 ms). Once per run, that is cheap beside the run's other steps.
RESERVE_WEIGHTED = """
UPDATE photos SET status = 'reserved', run_id = %(run_id)s, reserved_at = now()
WHERE brand = %(brand)s AND key = (
    SELECT key FROM photos AS candidate
    WHERE brand = %(brand)s AND status = 'available' AND key <> ALL(%(avoid)s)
    ORDER BY (SELECT coalesce(sum(w.weight), 0)
              FROM unnest(%(traits)s::text[], %(weights)s::float8[]) AS w (trait, weight)
              WHERE candidate.traits ? w.trait) DESC,
             shuffle
    LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING key, etag, size_bytes
"""


def weight_arrays(weights: Mapping[str, float]) -> tuple[list[str], list[float]]:
    """The traits and their weights as the statement takes them.

    Raises ValueError naming the trait whose weight is not a finite number.
    """
    if len(weights) > MAX_WEIGHTS:
        raise ValueError(f"weights: {len(weights)} traits, more than {MAX_WEIGHTS}")
    traits, values = [], []
    for trait, weight in weights.items():
        if not isinstance(trait, str) or not trait:
            raise ValueError(f"weights: {trait!r} is not a trait")
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"weights: '{trait}' is {weight!r}, not a number")
        if not math.isfinite(weight):
            raise ValueError(f"weights: '{trait}' is {weight}, not a finite number")
        traits.append(trait)
        values.append(float(weight))
    return traits, values
