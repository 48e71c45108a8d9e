"""The process-wide engine knows only the database its settings name."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import asyncpg
import httpx
import msgspec
import pytest

from tests.support import people
from tests.support.http import assert_problem
from year2026.db import (
    EngineNotConfigured,
    PlatformEngine,
    configure_engine,
    database_pool,
    get_engine,
)
from year2026.settings import Settings


def test_an_engine_never_configured_refuses_to_guess() -> None:
    with pytest.raises(EngineNotConfigured):
        _ = PlatformEngine().config


async def test_the_engine_uses_the_database_its_settings_name(clean_state: Settings) -> None:
    engine = configure_engine(clean_state)
    assert engine is get_engine()
    assert engine.config == {"dsn": clean_state.database_url}
    rows = await engine.run_ddl("SELECT current_database() AS name", in_pool=False)
    assert rows[0]["name"] == urlsplit(clean_state.database_url).path.lstrip("/")


async def test_an_open_pool_is_not_pointed_elsewhere(clean_state: Settings) -> None:
    elsewhere = msgspec.structs.replace(
        clean_state, database_url=clean_state.database_url + "_other"
    )
    async with database_pool(clean_state):
        with pytest.raises(RuntimeError, match="close the connection pool"):
            configure_engine(elsewhere)
    configure_engine(clean_state)  # the same settings again: fine


async def test_pool_holders_share_one_pool_and_the_last_closes_it(clean_state: Settings) -> None:
    async with database_pool(clean_state) as outer:
        pool = outer.pool
        async with database_pool(clean_state) as inner:  # the worker beside the app, in a test
            assert inner.pool is pool
        assert outer.pool is pool  # still open for the first holder
    assert get_engine().pool is None


async def test_a_row_held_past_the_lock_timeout_is_a_503_database_busy(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    person = await people.signed_in_person(settings)
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM person WHERE id = $1 FOR UPDATE", person.person_id)
            started = time.monotonic()
            response = await client.patch(
                "/me", json={"display_name": "Айгерім С."}, headers=person.headers
            )
            waited = time.monotonic() - started
    finally:
        await holder.close()
    body = assert_problem(response, 503, "database-busy")
    assert (body["retry_after"], response.headers["retry-after"]) == (2, "2")
    assert 2.5 < waited < 10  # the platform's 3 s lock timeout, not a hang
    me = await client.get("/me", headers=person.headers)
    assert me.json()["display_name"] == "Айгерім"  # nothing was written
