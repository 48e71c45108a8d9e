"""Run the API as its own process, as production does, for tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from year2026.embedded import EmbeddedPostgres

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class ServerSet:
    """Where this session's PostgreSQL and Redis are, and the environment that points at them."""

    database_url: str  # the session's own database
    admin_url: str  # the same server, maintenance database (for CREATE/DROP DATABASE)
    redis_url: str
    data_dir: Path
    embedded_postgres: EmbeddedPostgres | None

    @property
    def environment(self) -> dict[str, str]:
        return {
            "YEAR2026_DATABASE_URL": self.database_url,
            "YEAR2026_REDIS_URL": self.redis_url,
            "YEAR2026_DATA_DIR": str(self.data_dir),
            "YEAR2026_LOG_FORMAT": "console",
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running_api(
    environment: dict[str, str], log_path: Path, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """`year2026 serve` on a (free) loopback port; yields its base URL once /healthz answers."""
    port = port or free_port()
    env = {**os.environ, **environment, "YEAR2026_HOST": "127.0.0.1", "YEAR2026_PORT": str(port)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "year2026", "serve", "--workers", str(workers)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the API exited early:\n{log_path.read_text()[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the API did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
