"""Rate limits in a real Redis: the counts, the window, the keys, a rush from several clients."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Iterable

import pytest
from arq.connections import ArqRedis

from year2026.exceptions import TooManyRequests
from year2026.i18n import Language
from year2026.ratelimit import Limit, RateLimited, forgive, hit, hit_all, redis_key, reset
from year2026.redis import open_redis
from year2026.settings import Settings


@pytest.fixture
async def redis(clean_state: Settings) -> AsyncIterator[ArqRedis]:
    client = await open_redis(clean_state)
    yield client
    await client.aclose()


async def outcomes(calls: Iterable[Awaitable[None]]) -> tuple[int, int]:
    """(passed, refused) of calls to `hit` run at once."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, RateLimited):
            raise result
    refused = sum(isinstance(result, RateLimited) for result in results)
    return len(results) - refused, refused


async def test_hit_passes_max_hits_then_refuses(redis: ArqRedis) -> None:
    limit = Limit("sign-in:ip", max_hits=3, window_seconds=60)
    for _ in range(3):
        await hit(redis, limit, "203.0.113.7")

    with pytest.raises(RateLimited) as refused:
        await hit(redis, limit, "203.0.113.7")

    error = refused.value
    assert isinstance(error, TooManyRequests)
    assert error.code == "rate-limited"
    assert 1 <= error.retry_after <= 60
    assert error.message(Language.EN) == (
        f"Too many attempts. Try again in {error.retry_after} seconds."
    )


async def test_hit_refused_attempts_are_not_counted(redis: ArqRedis) -> None:
    limit = Limit("sign-in:ip", max_hits=2, window_seconds=1)
    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")
    for _ in range(5):
        with pytest.raises(RateLimited):
            await hit(redis, limit, "203.0.113.7")

    await asyncio.sleep(1.1)

    # the refusals did not extend the wait: the whole budget is back after one window
    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")


async def test_hit_keys_are_independent(redis: ArqRedis) -> None:
    limit = Limit("sign-in:account", max_hits=2, window_seconds=60)
    for _ in range(2):
        await hit(redis, limit, "aigerim@example.kz")
    with pytest.raises(RateLimited):
        await hit(redis, limit, "aigerim@example.kz")

    for _ in range(2):
        await hit(redis, limit, "daniyar@example.kz")


async def test_hit_limits_with_the_same_key_are_independent(redis: ArqRedis) -> None:
    sign_in = Limit("sign-in:ip", max_hits=1, window_seconds=60)
    sign_up = Limit("sign-up:ip", max_hits=1, window_seconds=60)
    await hit(redis, sign_in, "203.0.113.7")

    await hit(redis, sign_up, "203.0.113.7")


async def test_hit_cost_counts_several_attempts(redis: ArqRedis) -> None:
    limit = Limit("refresh:account", max_hits=5, window_seconds=60)
    await hit(redis, limit, "aigerim@example.kz", cost=3)
    with pytest.raises(RateLimited):
        await hit(redis, limit, "aigerim@example.kz", cost=3)

    await hit(redis, limit, "aigerim@example.kz", cost=2)


async def test_hit_cost_outside_the_limit_is_rejected(redis: ArqRedis) -> None:
    limit = Limit("refresh:account", max_hits=5, window_seconds=60)
    with pytest.raises(ValueError, match="cost"):
        await hit(redis, limit, "aigerim@example.kz", cost=6)
    with pytest.raises(ValueError, match="cost"):
        await hit(redis, limit, "aigerim@example.kz", cost=0)


def test_limit_without_budget_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_hits"):
        Limit("sign-in:ip", max_hits=0, window_seconds=60)


async def test_reset_clears_the_count(redis: ArqRedis) -> None:
    limit = Limit("sign-in:account", max_hits=2, window_seconds=60)
    for _ in range(2):
        await hit(redis, limit, "aigerim@example.kz")

    await reset(redis, limit, "aigerim@example.kz")

    for _ in range(2):
        await hit(redis, limit, "aigerim@example.kz")
    with pytest.raises(RateLimited):
        await hit(redis, limit, "aigerim@example.kz")


async def test_hit_all_counts_under_every_limit_or_none(redis: ArqRedis) -> None:
    pair = Limit("sign-in:account-address", max_hits=3, window_seconds=60)
    ceiling = Limit("sign-in:account-ceiling", max_hits=2, window_seconds=3600)
    both = [(pair, "aigerim@example.kz 203.0.113.7"), (ceiling, "aigerim@example.kz")]
    for _ in range(2):
        await hit_all(redis, both)

    with pytest.raises(RateLimited) as refused:
        await hit_all(redis, both)

    assert 3500 < refused.value.retry_after <= 3600  # the wait of the limit that refused
    # the refusal by the ceiling spent nothing of the pair's budget: exactly one is left
    await hit(redis, pair, "aigerim@example.kz 203.0.113.7")
    with pytest.raises(RateLimited):
        await hit(redis, pair, "aigerim@example.kz 203.0.113.7")


async def test_forgive_takes_back_only_that_attempt(redis: ArqRedis) -> None:
    pair = Limit("sign-in:account-address", max_hits=2, window_seconds=60)
    ceiling = Limit("sign-in:account-ceiling", max_hits=2, window_seconds=3600)
    both = [(pair, "aigerim@example.kz 203.0.113.7"), (ceiling, "aigerim@example.kz")]
    await hit_all(redis, both)
    attempt = await hit_all(redis, both)

    await forgive(redis, attempt)

    for name in (redis_key(pair, both[0][1]), redis_key(ceiling, both[1][1])):
        assert await redis.zcard(name) == 1
    await hit_all(redis, both)
    with pytest.raises(RateLimited):
        await hit_all(redis, both)


async def test_hit_passes_again_after_the_window(redis: ArqRedis) -> None:
    limit = Limit("sign-in:ip", max_hits=2, window_seconds=1)
    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")
    with pytest.raises(RateLimited) as refused:
        await hit(redis, limit, "203.0.113.7")
    assert refused.value.retry_after == 1

    await asyncio.sleep(1.1)

    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")


async def test_hit_window_edge_does_not_double_the_budget(redis: ArqRedis) -> None:
    # 2 attempts at t=0 and 2 at t=1 fill the budget of 4 per 2 s. At t=2.1 a fixed 2-s window
    # would have started afresh and let 4 more through: 6 within [1, 2.1]. The sliding log has
    # let only the first two go, so exactly 2 fit, and the next one must wait for t=3.
    limit = Limit("sign-up:ip", max_hits=4, window_seconds=2)
    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")
    await asyncio.sleep(1.0)
    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")
    with pytest.raises(RateLimited):
        await hit(redis, limit, "203.0.113.7")

    await asyncio.sleep(1.1)

    for _ in range(2):
        await hit(redis, limit, "203.0.113.7")
    with pytest.raises(RateLimited) as refused:
        await hit(redis, limit, "203.0.113.7")
    assert refused.value.retry_after == 1


async def test_hit_counts_exactly_max_hits_under_a_rush_from_several_clients(
    clean_state: Settings, redis: ArqRedis
) -> None:
    limit = Limit("sign-in:ip", max_hits=50, window_seconds=60)
    clients = [redis, *[await open_redis(clean_state) for _ in range(3)]]
    try:
        calls = [hit(clients[i % 4], limit, "203.0.113.7") for i in range(200)]

        assert await outcomes(calls) == (50, 150)
    finally:
        for client in clients[1:]:
            await client.aclose()


async def test_read_then_write_without_the_script_lets_a_rush_through(redis: ArqRedis) -> None:
    """The negative control for the rush above: count, then add, in two round trips."""
    limit = Limit("sign-in:ip", max_hits=50, window_seconds=60)
    name = redis_key(limit, "203.0.113.7")

    async def naive_hit(attempt: int) -> None:
        used = await redis.zcard(name)
        await asyncio.sleep(0.01)  # the gap between two round trips, made wide to be certain
        if used >= limit.max_hits:
            raise RateLimited(retry_after=1)
        await redis.zadd(name, {str(attempt): attempt})

    passed, _ = await outcomes([naive_hit(attempt) for attempt in range(200)])

    assert passed > limit.max_hits


async def test_redis_keys_never_contain_the_raw_key(redis: ArqRedis) -> None:
    limit = Limit("sign-in:account", max_hits=2, window_seconds=60)
    raw_keys = ["aigerim@example.kz", "203.0.113.7", "2001:db8::1"]
    for raw in raw_keys:
        await hit(redis, limit, raw)

    names = [name.decode() async for name in redis.scan_iter(match="*")]

    assert len(names) == 3
    for name in names:
        assert re.fullmatch(r"year2026:ratelimit:sign-in:account:[0-9a-f]{32}", name)
        assert not any(raw in name for raw in raw_keys)
        assert 0 < await redis.pttl(name) <= 60_000  # each key expires on its own
