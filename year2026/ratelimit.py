"""Rate limits kept in Redis, so that every API process counts against the same budget.

Algorithm: a sliding-window log, one sorted set per limited key, scored by the time of each
allowed attempt. We chose it over GCRA and fixed windows because it enforces exactly what
`Limit` says, "at most `max_hits` in ANY span of `window_seconds`": a fixed window lets 2x through
around its edge, and GCRA (with a burst of `max_hits`) lets a full burst plus the refilled part
through within one window, up to nearly 2x as well. The log costs memory in proportion to
`max_hits` per key, which is small for the limits it serves (sign-in, sign-up, token refresh).

The check and the write are one Lua script (EVALSHA), so concurrent callers in several processes
cannot all read the same count and all pass. The clock is Redis's own (`TIME` inside the script;
effects replication makes that allowed since Redis 5), so API machines with skewed clocks agree.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import ClassVar

from redis.asyncio import Redis

from year2026.exceptions import TooManyRequests
from year2026.i18n import Language, Texts

KEY_PREFIX = "year2026:ratelimit"

# KEYS[1]: the log; ARGV: max_hits, window in microseconds, cost, a nonce that makes members unique.
# Returns 0 when the attempt was counted, else the microseconds until it would fit.
# Scores are whole microseconds (~1.8e15): exact in a double, but Lua 5.1 would print them with
# %.14g and lose digits, hence string.format('%.0f') wherever one goes back to Redis.
_SLIDING_LOG = """
local max_hits = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local used = redis.call('ZCARD', KEYS[1])
local excess = used + cost - max_hits
if excess <= 0 then
    local score = string.format('%.0f', now)
    for i = 1, cost do
        redis.call('ZADD', KEYS[1], score, ARGV[4] .. ':' .. i)
    end
    redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
    return 0
end
-- room for `cost` more once the `excess` oldest entries have left the window
local oldest = redis.call('ZRANGE', KEYS[1], excess - 1, excess - 1, 'WITHSCORES')
return tonumber(oldest[2]) + window - now
"""


@dataclass(frozen=True)
class Limit:
    """At most `max_hits` attempts per key in any span of `window_seconds`."""

    #: a short part of the Redis key, such as "sign-in:ip"
    name: str
    max_hits: int
    window_seconds: int

    def __post_init__(self) -> None:
        if not self.name or self.max_hits < 1 or self.window_seconds < 1:
            raise ValueError(f"a limit needs a name, max_hits >= 1 and window_seconds >= 1: {self}")


class RateLimited(TooManyRequests):
    """Too many attempts for this address or account; `retry_after` seconds until one fits."""

    code = "rate-limited"
    messages: ClassVar[Texts] = {
        Language.KK: "Әрекет саны тым көп. {retry_after} секундтан кейін қайталап көріңіз.",
        Language.RU: "Слишком много попыток. Повторите через {retry_after} с.",
        Language.EN: "Too many attempts. Try again in {retry_after} seconds.",
    }

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.params["retry_after"] = self.retry_after


def redis_key(limit: Limit, key: str) -> str:
    """The Redis key of `key`'s log: hashed, so no address or e-mail shows in key names."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{limit.name}:{digest}"


async def hit(redis: Redis, limit: Limit, key: str, *, cost: int = 1) -> None:
    """Count `cost` attempts for `key`, or raise `RateLimited` (counting nothing) when they would
    go over the limit.

    Refused attempts are not logged, so a caller who keeps trying is let in again as soon as the
    window allows. Normalise the key (e.g. case-fold an e-mail) before calling.
    """
    if not 1 <= cost <= limit.max_hits:
        raise ValueError(f"cost must be between 1 and {limit.max_hits}, not {cost}")
    script = redis.register_script(_SLIDING_LOG)
    wait_us = await script(
        keys=[redis_key(limit, key)],
        args=[limit.max_hits, limit.window_seconds * 1_000_000, cost, secrets.token_hex(8)],
    )
    if int(wait_us) > 0:
        raise RateLimited(retry_after=math.ceil(int(wait_us) / 1_000_000))


async def reset(redis: Redis, limit: Limit, key: str) -> None:
    """Forget every attempt of `key` under `limit` (after a successful sign-in, for instance)."""
    await redis.delete(redis_key(limit, key))
