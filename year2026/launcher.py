"""`year2026 demo`: the whole platform on one machine, in one command.

Starts the embedded PostgreSQL and Redis (unless the environment names external ones), applies
migrations, loads the demo data, runs the API and an arq worker as child processes, prints the
useful addresses, and on Ctrl-C (or SIGTERM) stops everything in order: API and worker first, then
Redis and PostgreSQL, so that nothing is left running and the next run reuses the data.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

import httpx

from year2026.demo import DemoReport, load_demo_data
from year2026.embedded import EmbeddedPostgres, EmbeddedRedis
from year2026.settings import PREFIX, Settings

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def say(text: str) -> None:
    print(text, flush=True)


@contextmanager
def embedded_servers(settings: Settings) -> Iterator[None]:
    """Run whichever embedded servers the settings call for, stopping them on the way out."""
    postgres = EmbeddedPostgres(settings.data_path) if settings.uses_embedded_postgres else None
    redis = EmbeddedRedis(settings.data_path) if settings.uses_embedded_redis else None
    try:
        if postgres is not None:
            say(f"• PostgreSQL (embedded) in {postgres.pgdata}")
            postgres.start()
        if redis is not None:
            say(f"• Redis (embedded) in {redis.folder}")
            redis.start()
        yield
    finally:
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()


async def prepare_database(settings: Settings) -> DemoReport:
    """Migrations, then the demo data; returns what to print about it."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from year2026.db import configure_engine, database_pool

    configure_engine(settings)
    result = await run_forwards("all")
    if not result.success:
        raise SystemExit(f"migrations failed: {result.message}")
    async with database_pool(settings):
        return await load_demo_data()


def _spawn(command: str, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "year2026", command],
        env=environment,
        stdin=subprocess.DEVNULL,
        # its own process group: the orchestrator decides when and in which order things stop
        process_group=0,
    )


def _wait_ready(url: str, children: list[subprocess.Popen[bytes]], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        with suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        time.sleep(0.2)
    return False


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run_demo(settings: Settings) -> int:
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for signum in _STOP_SIGNALS:
        signal.signal(signum, on_signal)

    settings.data_path.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        f"{PREFIX}DATA_DIR": str(settings.data_path),
        f"{PREFIX}DATABASE_URL": settings.effective_database_url,
        f"{PREFIX}REDIS_URL": settings.effective_redis_url,
    }
    base = settings.effective_public_url
    children: list[subprocess.Popen[bytes]] = []
    with embedded_servers(settings):
        if stop.is_set():
            return 130
        report = asyncio.run(prepare_database(settings))
        children = [_spawn("serve", environment), _spawn("worker", environment)]
        try:
            if not _wait_ready(f"{base}/readyz", children):
                say("The API did not become ready; see the log lines above.")
                return 1
            say("")
            say("year2026 is running. Press Ctrl-C to stop.")
            say(f"  API docs     {base}/schema")
            say(f"  OpenAPI      {base}/schema/openapi.json")
            say(f"  health       {base}/healthz")
            say(f"  readiness    {base}/readyz")
            for what, path in report.links:
                say(f"  {what:<12} {base}{path}")
            if report.accounts:
                say(f"Demo accounts (sign in with POST {base}/auth/sign-in):")
                for role, email, password in report.accounts:
                    say(f"  {role:<10} {email:<30} {password}")
            say("")
            while not stop.wait(0.5):
                if any(child.poll() is not None for child in children):
                    say("A process of the platform stopped; shutting down the rest.")
                    return 1
            say("Stopping…")
            return 0
        finally:
            _stop_children(children)
