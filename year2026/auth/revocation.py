"""Whether a live access token has been revoked by "sign out everywhere" (or by erasure).

Every access token carries the person's token generation at the moment it was issued (`gen`).
Signing out everywhere raises the generation in PostgreSQL, the source of truth, in the same
transaction that revokes the refresh tokens; a token of an older generation is refused from then
on. Comparing generations is exact, where comparing issue times in whole seconds refused a token
issued in the same second as the sign-out for its whole life.

Redis caches each person's current generation for a few minutes, so that a request costs one GET.
The cache is read-through, never the only copy: a Redis that lost its data (a crash between two
snapshots) answers "unknown" and the database is asked again; a Redis that is down is skipped.
Cache writes only ever raise the cached value (one Lua script), so a reader that fetched the old
generation just before a sign-out cannot put it back over the new one.
"""

from __future__ import annotations

import uuid

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from year2026.people.tables import Person

#: how long a person's generation stays cached in Redis
CACHE_SECONDS = 300
#: what an unknown person's tokens are measured against: nothing is new enough
_NO_PERSON = 2**31 - 1

log = structlog.get_logger("year2026.auth.revocation")

# KEYS[1]: the cache key; ARGV[1]: a generation; ARGV[2]: seconds to keep it. Sets the key unless
# it already holds the same or a higher generation.
_RAISE_TO = """
local cached = redis.call('GET', KEYS[1])
if cached and tonumber(cached) >= tonumber(ARGV[1]) then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return 1
"""


def cache_key(person_id: uuid.UUID) -> str:
    return f"year2026:auth:generation:{person_id}"


async def stored_generation(person_id: uuid.UUID) -> int:
    """The person's generation in the database (for an unknown person, one that refuses all)."""
    row = await Person.select(Person.token_generation).where(Person.id == person_id).first()
    return _NO_PERSON if row is None else int(row["token_generation"])


async def remember_generation(redis: Redis, person_id: uuid.UUID, generation: int) -> None:
    """Raise the cached generation to `generation` (best effort: the database has it already)."""
    try:
        await redis.register_script(_RAISE_TO)(
            keys=[cache_key(person_id)], args=[generation, CACHE_SECONDS]
        )
    except RedisError as error:
        # Readers fall back to the database while Redis is away; a cached older value left behind
        # ages out within CACHE_SECONDS.
        log.warning("generation not cached", error=type(error).__name__)


async def current_generation(redis: Redis, person_id: uuid.UUID) -> int:
    """The person's generation now: from the cache, else from the database (then cached)."""
    try:
        cached = await redis.get(cache_key(person_id))
    except RedisError:
        return await stored_generation(person_id)  # Redis is away: the source of truth answers
    if cached is not None:
        return int(cached)
    generation = await stored_generation(person_id)
    await remember_generation(redis, person_id, generation)
    return generation


async def is_revoked(redis: Redis, person_id: uuid.UUID, token_generation: int) -> bool:
    return token_generation < await current_generation(redis, person_id)
