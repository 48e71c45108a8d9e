"""`year2026 worker` as production runs it: a process that outlives Redis and PostgreSQL outages."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
import redis
from arq.connections import ArqRedis
from arq.jobs import JobStatus

from tests.support.proxy import CuttableProxy
from tests.support.server import REPO_ROOT, ServerSet
from year2026.embedded import EmbeddedRedis
from year2026.settings import Settings
from year2026.worker import HEARTBEAT_KEY, QUEUE_NAME


@contextmanager
def running_worker(
    environment: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m year2026 worker` with `environment`; stopped with SIGTERM on the way out."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("YEAR2026_")}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "year2026", "worker"],
            cwd=REPO_ROOT,
            env={**env, **environment},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_heartbeat(socket_path: Path, timeout: float, log_path: Path) -> bytes:
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=2)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = client.get(HEARTBEAT_KEY)
            if isinstance(value, bytes):
                return value
            time.sleep(0.1)
    finally:
        client.close()
    raise AssertionError(f"no heartbeat within {timeout} s:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    """A Redis of the test's own: killing the session's would disturb every other test."""
    server = EmbeddedRedis(tmp_path, persistent=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_worker_survives_redis_being_killed_and_heartbeats_when_it_returns(
    test_servers: ServerSet, settings: Settings, own_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    log_path = tmp_path / "worker.log"
    environment = {**test_servers.environment, "YEAR2026_REDIS_URL": own_redis.url}
    with running_worker(environment, log_path) as worker:
        wait_for_heartbeat(own_redis.socket_path, timeout=30, log_path=log_path)
        assert own_redis.process is not None
        own_redis.process.kill()  # SIGKILL: no goodbye to its clients
        own_redis.process.wait()
        time.sleep(3)  # today's worker is gone well within this
        assert worker.poll() is None, log_path.read_text()[-3000:]

        returned_at = time.monotonic()
        own_redis.start()  # same socket; not persistent, so it comes back empty
        wait_for_heartbeat(own_redis.socket_path, timeout=15, log_path=log_path)
        assert time.monotonic() - returned_at < 15
        assert worker.poll() is None

        # back within one poll: redis-py reconnects unseen, and the heartbeat must follow anyway
        assert own_redis.process is not None
        own_redis.process.kill()
        own_redis.process.wait()
        own_redis.start()
        wait_for_heartbeat(own_redis.socket_path, timeout=5, log_path=log_path)
        assert worker.poll() is None
    assert worker.returncode == 0, log_path.read_text()[-3000:]  # SIGTERM is a clean stop


def behind_proxy(database_url: str) -> tuple[CuttableProxy, str]:
    """A cuttable TCP port in front of the PostgreSQL of `database_url`, and the URL through it."""
    parts = urlsplit(database_url)
    socket_dir = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    port = parts.port or 5432

    def connect() -> socket.socket:
        if socket_dir.startswith("/"):
            unix = socket.socket(socket.AF_UNIX)
            unix.connect(f"{socket_dir}/.s.PGSQL.{port}")
            return unix
        return socket.create_connection((socket_dir, port))

    proxy = CuttableProxy(connect)
    account = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    url = urlunsplit(parts._replace(netloc=f"{account}127.0.0.1:{proxy.port}", query=""))
    return proxy, url


async def test_worker_runs_a_job_again_after_postgresql_was_away(
    test_servers: ServerSet, settings: Settings, own_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    proxy, database_url = behind_proxy(test_servers.database_url)
    log_path = tmp_path / "worker.log"
    environment = {
        **test_servers.environment,
        "YEAR2026_REDIS_URL": own_redis.url,
        "YEAR2026_DATABASE_URL": database_url,
    }
    queue = ArqRedis.from_url(own_redis.url)
    queue.default_queue_name = QUEUE_NAME
    try:
        with running_worker(environment, log_path) as worker:
            # a job while PostgreSQL answers leaves a connection in the worker's pool
            before = await queue.enqueue_job("purge_expired_sessions", _job_id="purge:before")
            assert before is not None
            assert await before.result(timeout=30, poll_delay=0.1) == 0

            proxy.cut()  # that connection dies, and new ones are refused
            during = await queue.enqueue_job("purge_expired_sessions", _job_id="purge:during")
            assert during is not None
            deadline = time.monotonic() + 10
            while await during.status() != JobStatus.deferred:  # failed once, will run again
                assert await during.status() != JobStatus.complete, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                await asyncio.sleep(0.1)
            assert worker.poll() is None

            proxy.restore()
            assert await during.result(timeout=30, poll_delay=0.1) == 0
            info = await during.result_info()
            assert info is not None
            assert (info.success, info.job_try) == (True, 2)
            assert worker.poll() is None
    finally:
        await queue.aclose()
        proxy.cut()
