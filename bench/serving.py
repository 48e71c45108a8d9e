"""What the benchmarks share: the API started as production runs it, as its own process, and
the percentiles they report."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx


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


def percentile(samples: list[float], share: float) -> float:
    """The value below which `share` of the samples lie (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
