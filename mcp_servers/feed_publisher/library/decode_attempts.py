"""Decodes that began and never finished, counted in the photo ledger.

A photo whose decode takes the server down (out of memory, or a crash inside a decoder) leaves
no error to reject it by: the run is given the photo back, and the next one takes it again.
So each decode is counted in the photo's ledger row before it starts and counted off when it
ends, either way. A photo found with two unfinished decodes is refused; one is not enough, as
a server stopped by other load (a deployment, a neighbour's memory) leaves one behind on a
good photo. A photo prepared for Instagram, the largest decode, is proven decodable: whatever
was counted against it before is forgotten.
"""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from ..imaging.headers import InvalidPhoto

__all__ = ["UNFINISHED_LIMIT", "DecodeAttempts"]

UNFINISHED_LIMIT = 2
NEVER_FINISHED = (
    "the photo could not be decoded twice: the server ran out of memory or stopped while reading it"
)


class DecodeAttempts:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def started(self, brand: str, key: str) -> None:
        """Count a decode of the photo as begun; InvalidPhoto if two never finished.

        A photo not in the ledger (a tool called by hand) is decoded uncounted."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "UPDATE photos SET unfinished_decodes = unfinished_decodes + 1"
                " WHERE brand = %s AND key = %s AND unfinished_decodes < %s RETURNING 1",
                (brand, key, UNFINISHED_LIMIT),
            )
            if await cur.fetchone() is not None:
                return
            cur = await conn.execute(
                "SELECT 1 FROM photos WHERE brand = %s AND key = %s", (brand, key)
            )
            if await cur.fetchone() is not None:
                raise InvalidPhoto(NEVER_FINISHED, "decode-unfinished")

    async def finished(self, brand: str, key: str, *, proven: bool) -> None:
        """Count the decode begun last as ended; ``proven``: the photo decodes, forget all."""
        async with self._pool.connection() as conn:
            await conn.execute(
                "UPDATE photos SET unfinished_decodes ="
                " CASE WHEN %s THEN 0 ELSE greatest(unfinished_decodes - 1, 0) END"
                " WHERE brand = %s AND key = %s AND unfinished_decodes > 0",
                (proven, brand, key),
            )
