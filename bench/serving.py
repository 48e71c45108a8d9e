"""What the benchmarks share: the API started as production runs it, as its own process, a bare
baseline app under uvicorn beside it, the servers they run on, the CPU they use, and the
percentiles they report."""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from year2026.embedded import EmbeddedPostgres, EmbeddedRedis


@contextlib.contextmanager
def embedded_servers() -> Iterator[tuple[Path, dict[str, str]]]:
    """PostgreSQL (fsync off) and Redis (nothing kept) in a temporary folder for one bench run,
    and the API's environment for them: the folder and the environment."""
    with tempfile.TemporaryDirectory(prefix="year2026-bench-") as name:
        folder = Path(name)
        postgres = EmbeddedPostgres(folder, settings={"fsync": "off"})
        redis = EmbeddedRedis(folder, persistent=False)
        postgres.start()
        redis.start()
        try:
            yield (
                folder,
                {
                    "YEAR2026_DATA_DIR": str(folder),
                    "YEAR2026_DATABASE_URL": postgres.url,
                    "YEAR2026_REDIS_URL": redis.url,
                    "YEAR2026_LOG_LEVEL": "error",
                    # the tokens made here name the API's address as their issuer
                    "YEAR2026_PORT": str(18000 + random.randint(0, 999)),
                },
            )
        finally:
            redis.stop()
            postgres.stop()


def serve_api(
    environment: dict[str, str], port: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """`year2026 serve` on `port` with `environment` (over this process's own), once it answers
    `/healthz`; its output goes to `log`."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "year2026", "serve", "--workers", str(workers)],
            env={**os.environ, **environment, "YEAR2026_PORT": str(port)},
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the API did not start:\n{log.read_text()[-2000:]}")


def serve_bare(
    app: str, environment: dict[str, str], port: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """A bare baseline `app` of bench/ (`module:attribute`) under uvicorn, as its own process
    with `workers` processes and the server options `year2026 serve` uses, once it answers (any
    status); its output goes to `log`."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(__file__).parent), app,
             "--port", str(port), "--workers", str(workers), "--log-level", "warning",
             "--no-access-log", "--no-server-header", "--no-proxy-headers"],
            env={**os.environ, **environment},
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        except httpx.HTTPError:
            time.sleep(0.2)
        else:
            return process
    process.kill()
    raise SystemExit(f"the bare handler did not start:\n{log.read_text()[-2000:]}")


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by the process and its children (uvicorn's workers), from /proc."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        proc = Path(f"/proc/{current}")
        fields = (proc / "stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        for task in (proc / "task").iterdir():
            pending += [int(child) for child in (task / "children").read_text().split()]
    return total


def percentile(samples: list[float], share: float) -> float:
    """The value below which `share` of the samples lie (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
