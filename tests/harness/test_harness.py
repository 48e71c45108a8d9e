"""The harness itself: real servers, clean state per test, worker and SMTP fixtures that work."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Awaitable, Callable
from email.message import EmailMessage

import httpx

from tests.support import people
from tests.support.smtp import MailCatcher
from tests.support.state import reset_state
from year2026.db import get_engine
from year2026.people.tables import RefreshToken
from year2026.redis import open_redis
from year2026.settings import Settings
from year2026.worker import HEARTBEAT_KEY, QUEUE_NAME


async def test_database_is_real_postgresql(clean_state: Settings) -> None:
    rows = await get_engine().run_ddl("SELECT current_setting('server_version_num')::int AS v")
    assert rows[0]["v"] >= 160000


async def test_reset_state_empties_redis(clean_state: Settings) -> None:
    redis = await open_redis(clean_state)
    try:
        assert await redis.dbsize() == 0
        await redis.set("year2026:leftover", "from an earlier test")
        await reset_state(clean_state)
        assert await redis.get("year2026:leftover") is None
    finally:
        await redis.aclose()


async def test_worker_runs_an_enqueued_job(
    clean_state: Settings, run_jobs: Callable[[], Awaitable[int]]
) -> None:
    redis = await open_redis(clean_state)
    try:
        job = await redis.enqueue_job(
            "record_heartbeat", _job_id="record_heartbeat:test", _queue_name=QUEUE_NAME
        )
        assert job is not None
        duplicate = await redis.enqueue_job(
            "record_heartbeat", _job_id="record_heartbeat:test", _queue_name=QUEUE_NAME
        )
        assert duplicate is None  # same job id: arq keeps one
        completed = await run_jobs()
        assert completed == 1
        heartbeat = await redis.get(HEARTBEAT_KEY)
        assert heartbeat is not None
        assert await job.result(timeout=5) == heartbeat.decode()
    finally:
        await redis.aclose()


def test_smtp_server_receives_a_real_message(smtp_server: MailCatcher) -> None:
    message = EmailMessage()
    message["From"] = "noreply@year2026.kz"
    message["To"] = "aigerim@example.kz"
    message["Subject"] = "Тіркелу расталды"
    message.set_content("Сәлеметсіз бе!")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(message)
    assert len(smtp_server.received) == 1
    received = smtp_server.received[0]
    assert received.recipients == ["aigerim@example.kz"]
    assert received.message["Subject"] == "Тіркелу расталды"
    assert received.message.get_content().strip() == "Сәлеметсіз бе!"


async def test_worker_purges_expired_refresh_tokens(
    client: httpx.AsyncClient, run_jobs: Callable[[], Awaitable[int]], clean_state: Settings
) -> None:
    person = await people.sign_up(client)
    await RefreshToken.update(
        {RefreshToken.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(days=1)}
    ).where(RefreshToken.person == person.person_id)
    live = await people.sign_in(client, person.email)
    redis = await open_redis(clean_state)
    try:
        await redis.enqueue_job(
            "purge_expired_sessions", _job_id="purge_expired_sessions:test", _queue_name=QUEUE_NAME
        )
    finally:
        await redis.aclose()
    assert await run_jobs() == 1
    remaining = await RefreshToken.select(RefreshToken.person)
    assert [row["person"] for row in remaining] == [live.person_id]
