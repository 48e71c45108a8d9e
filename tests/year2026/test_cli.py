"""`year2026 check` tells an operator what is in force and whether the servers answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tzdata

from tests.support.server import REPO_ROOT, ServerSet
from year2026.settings import Settings


def run_check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("YEAR2026_")}
    return subprocess.run(
        [sys.executable, "-m", "year2026", "check"],
        cwd=REPO_ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_reports_both_servers_answering(test_servers: ServerSet, settings: Settings) -> None:
    done = run_check(test_servers.environment)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split() == ["PostgreSQL", "answers"] for line in lines)
    assert any(line.split() == ["Redis", "answers"] for line in lines)


def test_check_prints_the_time_zone_database_of_the_tzdata_package(
    test_servers: ServerSet, tmp_path: Path
) -> None:
    """Even with a system zone folder on the path (PYTHONTZPATH), zones come from the package."""
    done = run_check({**test_servers.environment, "PYTHONTZPATH": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"time-zone database           tzdata {tzdata.IANA_VERSION}"
        " (the tzdata package; system zone files are not read)"
    ) in done.stdout.splitlines()


def test_check_fails_when_postgresql_is_unreachable(
    test_servers: ServerSet, tmp_path: Path
) -> None:
    environment = {
        **test_servers.environment,
        "YEAR2026_DATABASE_URL": f"postgresql://app:hunter2@/year2026?host={tmp_path}",
    }
    done = run_check(environment)
    assert done.returncode == 1
    assert any(
        line.split() == ["PostgreSQL", "NOT", "reachable"] for line in done.stdout.splitlines()
    )
    assert "hunter2" not in done.stdout + done.stderr


def test_check_refuses_an_unknown_variable(test_servers: ServerSet) -> None:
    done = run_check({**test_servers.environment, "YEAR2026_DATABSE_URL": "x"})
    assert done.returncode == 1
    assert "databse_url" in done.stderr.lower()
