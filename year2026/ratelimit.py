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
One call can check several limits (`hit_all`): the attempt is counted under all of them or, when
any one refuses, under none, so a refusal by one limit never spends the budget of another. An
`Attempt` can be taken back (`forgive`) once it turns out not to be what a limit counts.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from redis.asyncio import Redis

from year2026.exceptions import TooManyRequests
from year2026.i18n import Language, Texts

KEY_PREFIX = "year2026:ratelimit"

# KEYS: one log per limit; ARGV: cost, a nonce that makes members unique, then max_hits and the
# window in microseconds for each key in turn. The attempt is counted in every log or in none.
# Returns 0 when it was counted, else the microseconds until it would fit under every limit.
# Scores are whole microseconds (~1.8e15): exact in a double, but Lua 5.1 would print them with
# %.14g and lose digits, hence string.format('%.0f') wherever one goes back to Redis.
_SLIDING_LOGS = """
local cost = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local wait = 0
for i, key in ipairs(KEYS) do
    local max_hits = tonumber(ARGV[1 + 2 * i])
    local window = tonumber(ARGV[2 + 2 * i])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
    local excess = redis.call('ZCARD', key) + cost - max_hits
    if excess > 0 then
        -- room for `cost` more once the `excess` oldest entries have left the window
        local oldest = redis.call('ZRANGE', key, excess - 1, excess - 1, 'WITHSCORES')
        wait = math.max(wait, tonumber(oldest[2]) + window - now)
    end
end
if wait > 0 then
    return wait
end
local score = string.format('%.0f', now)
for i, key in ipairs(KEYS) do
    for n = 1, cost do
        redis.call('ZADD', key, score, ARGV[2] .. ':' .. n)
    end
    redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[2 + 2 * i]) / 1000))
end
return 0
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
    return f"{KEY_PREFIX}:{limit.name}:{digest(key)}"


def digest(text: str) -> str:
    """A fixed-length stand-in for an address or an e-mail in a Redis key name."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Attempt:
    """What one `hit` counted, for `forgive` to take back."""

    redis_keys: tuple[str, ...]
    members: tuple[str, ...]


async def hit(redis: Redis, limit: Limit, key: str, *, cost: int = 1) -> Attempt:
    """Count `cost` attempts for `key`, or raise `RateLimited` (counting nothing) when they would
    go over the limit.

    Refused attempts are not logged, so a caller who keeps trying is let in again as soon as the
    window allows. Normalise the key (e.g. case-fold an e-mail) before calling.
    """
    return await hit_all(redis, [(limit, key)], cost=cost)


async def hit_all(redis: Redis, limited: Sequence[tuple[Limit, str]], *, cost: int = 1) -> Attempt:
    """Count `cost` attempts under each (limit, key) at once, or under none of them (raising
    `RateLimited` with the wait until all would fit) when any would go over."""
    if not limited:
        raise ValueError("hit_all needs at least one limit")
    smallest = min(limit.max_hits for limit, _ in limited)
    if not 1 <= cost <= smallest:
        raise ValueError(f"cost must be between 1 and {smallest}, not {cost}")
    nonce = secrets.token_hex(8)
    args: list[int | str] = [cost, nonce]
    for limit, _ in limited:
        args += [limit.max_hits, limit.window_seconds * 1_000_000]
    keys = tuple(redis_key(limit, key) for limit, key in limited)
    script = redis.register_script(_SLIDING_LOGS)
    wait_us = await script(keys=list(keys), args=args)
    if int(wait_us) > 0:
        raise RateLimited(retry_after=math.ceil(int(wait_us) / 1_000_000))
    return Attempt(keys, tuple(f"{nonce}:{n}" for n in range(1, cost + 1)))


async def forgive(redis: Redis, attempt: Attempt) -> None:
    """Take back what `attempt` counted (it turned out not to be what the limits are about, such
    as a sign-in with the right password); attempts that have left the window are gone anyway."""
    async with redis.pipeline(transaction=False) as pipe:
        for name in attempt.redis_keys:
            pipe.zrem(name, *attempt.members)
        await pipe.execute()


async def reset(redis: Redis, limit: Limit, key: str) -> None:
    """Forget every attempt of `key` under `limit` (after a successful sign-in, for instance)."""
    await redis.delete(redis_key(limit, key))
