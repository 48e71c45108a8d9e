"""`year2026 demo`: the whole platform on one machine, in one command.

Starts the embedded PostgreSQL and Redis (unless the environment names external ones), applies
migrations, loads the demo data, runs the API and an arq worker as child processes, prints the
useful addresses, and on Ctrl-C (or SIGTERM, SIGHUP) stops everything in order: API and worker
first, then Redis and PostgreSQL, so that nothing is left running and the next run reuses the data.

A part that dies meanwhile is started again, with a line saying so; the others go on (the API
answers 503 while a server it needs is away, the worker reconnects by itself). A part that keeps
dying is given up on after `MAX_RESTARTS` restarts within `RESTART_WINDOW` seconds: the launcher
says so and keeps the rest running, since a half-working platform that says what is wrong is more
use to the person at the terminal than one that is gone; only Ctrl-C stops everything.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import FrameType

import httpx

from year2026.demo import DemoReport, load_demo_data
from year2026.embedded import EmbeddedPostgres, EmbeddedRedis
from year2026.settings import PREFIX, Settings

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
MAX_RESTARTS = 5
RESTART_WINDOW = 300.0  # seconds
#: the first restart is at once; the pauses before the 2nd, 3rd, … give a part that died again at
#: once a moment (e.g. for a killed PostgreSQL's orphaned backends to let go of shared memory)
RESTART_PAUSES = (1.0, 2.0, 4.0, 8.0)


def say(text: str) -> None:
    print(text, flush=True)


@dataclass
class Supervised:
    """A part of the platform the launcher keeps running."""

    name: str
    start: Callable[[], None]
    #: None while it runs, else how it ended ("exit -9")
    ended: Callable[[], str | None]
    restarts: list[float] = field(default_factory=list)
    not_before: float = 0.0
    given_up: bool = False


def _exit_text(code: int | None) -> str:
    return "exit status unknown" if code is None else f"exit {code}"


def supervised_server(name: str, server: EmbeddedPostgres | EmbeddedRedis) -> Supervised:
    def ended() -> str | None:
        if server.is_alive():
            return None
        return _exit_text(server.process.returncode if server.process is not None else None)

    return Supervised(name, server.start, ended)


class ChildProcess:
    """A command run as a child of the launcher, started again with the same arguments."""

    def __init__(self, arguments: list[str], environment: dict[str, str]) -> None:
        self.arguments = arguments
        self.environment = environment
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.arguments,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            # its own process group: the orchestrator decides when and in which order things stop
            process_group=0,
        )

    def ended(self) -> str | None:
        code = self.process.poll() if self.process is not None else None
        return None if code is None else _exit_text(code)


class Supervisor:
    """Starts again what died: at most `max_restarts` times within `window` seconds a part."""

    def __init__(
        self,
        parts: list[Supervised],
        *,
        max_restarts: int = MAX_RESTARTS,
        window: float = RESTART_WINDOW,
        pauses: tuple[float, ...] = RESTART_PAUSES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.parts = parts
        self.max_restarts = max_restarts
        self.window = window
        self.pauses = pauses
        self.clock = clock

    def check(self) -> None:
        """Look at every part once; start again those that died (in the order given)."""
        for part in self.parts:
            if part.given_up or (how := part.ended()) is None:
                continue
            now = self.clock()
            if now < part.not_before:
                continue
            part.restarts = [at for at in part.restarts if now - at < self.window]
            if len(part.restarts) >= self.max_restarts:
                part.given_up = True
                say(
                    f"{part.name} stopped unexpectedly ({how}) after {len(part.restarts)} restarts"
                    f" within {self.window / 60:g} minutes; not restarting it again. The rest keeps"
                    " running; press Ctrl-C to stop everything."
                )
                continue
            part.restarts.append(now)
            say(
                f"{part.name} stopped unexpectedly ({how}); restarting"
                f" ({len(part.restarts)}/{self.max_restarts})"
            )
            try:
                part.start()
            except Exception as error:  # noqa: BLE001 - said, and counted as one more restart
                say(f"{part.name} did not start again: {error}")
            if self.pauses:
                pause = self.pauses[min(len(part.restarts), len(self.pauses)) - 1]
                part.not_before = self.clock() + pause


@contextmanager
def embedded_servers(settings: Settings) -> Iterator[list[Supervised]]:
    """Run whichever embedded servers the settings call for, stopping them on the way out; yields
    them as parts to supervise."""
    postgres = EmbeddedPostgres(settings.data_path) if settings.uses_embedded_postgres else None
    redis = EmbeddedRedis(settings.data_path) if settings.uses_embedded_redis else None
    servers: list[Supervised] = []
    try:
        if postgres is not None:
            say(f"• PostgreSQL (embedded) in {postgres.pgdata}")
            postgres.start()
            servers.append(supervised_server("PostgreSQL", postgres))
        if redis is not None:
            say(f"• Redis (embedded) in {redis.folder}")
            redis.start()
            servers.append(supervised_server("Redis", redis))
        yield servers
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


def _year2026(command: str, environment: dict[str, str]) -> ChildProcess:
    return ChildProcess([sys.executable, "-m", "year2026", command], environment)


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


def _stop_children(children: list[subprocess.Popen[bytes] | None]) -> None:
    running = [child for child in children if child is not None]
    for child in running:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for child in running:
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
    api, worker = _year2026("serve", environment), _year2026("worker", environment)
    with embedded_servers(settings) as servers:
        if stop.is_set():
            return 130
        report = asyncio.run(prepare_database(settings))
        api.start()
        worker.start()
        try:
            children = [child.process for child in (api, worker) if child.process is not None]
            if not _wait_ready(f"{base}/readyz", children):
                say("The API did not become ready; see the log lines above.")
                return 1
            say("")
            say("year2026 is running. Press Ctrl-C to stop.")
            say(f"  API docs     {base}/schema")
            say(f"  OpenAPI      {base}/schema/openapi.json")
            say(f"  health       {base}/healthz")
            say(f"  readiness    {base}/readyz")
            say(f"  calendar     webcal://{base.split('://', 1)[1]}/feeds/events.ics")
            for what, path in report.links:
                say(f"  {what:<12} {base}{path}")
            if report.accounts:
                say(f"Demo accounts (sign in with POST {base}/auth/sign-in):")
                for role, email, password in report.accounts:
                    say(f"  {role:<10} {email:<30} {password}")
            say("")
            supervisor = Supervisor(
                [
                    *servers,
                    Supervised("The API", api.start, api.ended),
                    Supervised("The worker", worker.start, worker.ended),
                ]
            )
            while not stop.wait(0.5):
                supervisor.check()
            say("Stopping…")
            return 0
        finally:
            _stop_children([api.process, worker.process])
