"""The README's first command, run as a person would: start, use over HTTP, Ctrl-C, run again."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import asyncpg
import httpx
import pytest
import redis

from tests.support.server import REPO_ROOT, free_port
from year2026.embedded import postgres_socket_dir, redis_socket_path
from year2026.worker import HEARTBEAT_KEY

pytestmark = pytest.mark.e2e

README_DEMO_COMMAND = ["make", "demo"]
START_TIMEOUT = 180  # the first run creates the cluster


def _readme_commands() -> list[str]:
    """The lines of the README's first code block (after its language tag)."""
    readme = (REPO_ROOT / "README.md").read_text()
    return readme.split("```", 2)[1].strip().splitlines()[1:]


def test_readme_opens_with_demo_then_test() -> None:
    assert _readme_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci_script = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in ci_script


def _leftover_processes(session_id: int, data_dir: Path) -> list[str]:
    """Processes still in the demo's session (`make` and all it started), or using its data folder
    (pg_ctl starts PostgreSQL in a session of its own)."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        alive = fields[0] != "Z"
        if alive and (int(fields[3]) == session_id or str(data_dir) in cmdline):
            left.append(f"{entry.name}: {cmdline}")
    return left


@contextmanager
def running_demo(data_dir: Path, port: int) -> Iterator[tuple[str, list[str]]]:
    """`make demo` in its own session; yields the base URL and the lines printed so far."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("YEAR2026_")
    }
    environment |= {"YEAR2026_DATA_DIR": str(data_dir), "YEAR2026_PORT": str(port)}
    process = subprocess.Popen(
        README_DEMO_COMMAND,
        cwd=REPO_ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # like a terminal: Ctrl-C goes to the whole foreground group
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.decode(errors="replace") for line in process.stdout or []),
        daemon=True,
    )
    reader.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not any("year2026 is running" in line for line in lines):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        yield base_url, lines
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        reader.join(timeout=5)
        time.sleep(0.5)  # let the kernel reap the last children
        left = _leftover_processes(process.pid, data_dir)
        assert left == [], f"left running after Ctrl-C: {left}\n{''.join(lines)}"


async def _demo_database(data_dir: Path, *statements: str) -> object:
    """Run statements on the demo's own PostgreSQL (through its socket); the last one's value."""
    connection = await asyncpg.connect(
        host=str(postgres_socket_dir(data_dir)), user="postgres", database="year2026"
    )
    try:
        value: object = None
        for statement in statements:
            value = await connection.fetchval(statement)
        return value
    finally:
        await connection.close()


def _worker_heartbeat(data_dir: Path) -> bytes | None:
    client = redis.Redis(unix_socket_path=str(redis_socket_path(data_dir)))
    try:
        deadline = time.monotonic() + 30
        while (value := client.get(HEARTBEAT_KEY)) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        return value  # type: ignore[no-any-return]
    finally:
        client.close()


def _printed_accounts(printed: str) -> list[tuple[str, str, str]]:
    found = []
    for line in printed.splitlines():
        parts = line.split()
        if len(parts) == 3 and "@" in parts[1]:
            found.append((parts[0], parts[1], parts[2]))
    return found


def _learn_the_demo_courses(base_url: str, tokens: dict[str, str]) -> None:
    """A citizen's AI Movement journey on the demo's courses: refused the teachers' course for
    its prerequisite, then through "AI basics for everyone" (every lesson, the final test, whose
    answers the provider's member reads), completed at once, and into a teachers' cohort."""
    api = httpx.Client(base_url=base_url, timeout=10)
    citizen = {"Authorization": f"Bearer {tokens['citizen']}", "Accept-Language": "en"}
    provider = {"Authorization": f"Bearer {tokens['organizer']}"}
    listed = api.get("/courses", params={"lang": "en", "limit": 50}).json()["items"]
    assert {course["slug"] for course in listed} == {
        "ai-basics-for-everyone",
        "prompt-engineering-for-civil-servants",
        "machine-learning-for-teachers",
        "ai-for-entrepreneurs",
    }
    teachers = api.get("/courses/machine-learning-for-teachers", params={"lang": "en"}).json()
    cohort = teachers["upcoming_cohorts"][0]["id"]
    refused = api.post(f"/cohorts/{cohort}/enrolments", headers=citizen)
    assert (refused.status_code, refused.json()["code"]) == (409, "prerequisites-missing")
    assert "AI basics for everyone" in refused.json()["detail"]

    enrolled = api.post("/courses/ai-basics-for-everyone/enrolments", headers=citizen)
    assert (enrolled.status_code, enrolled.json()["status"]) == (201, "confirmed")
    enrolment = enrolled.json()["id"]
    structure = api.get("/courses/ai-basics-for-everyone/structure", headers=provider).json()
    for module in structure["modules"]:
        for lesson in module["lessons"]:
            step = f"/me/enrolments/{enrolment}/lessons/{lesson['id']}"
            if lesson["kind"] != "test":
                assert api.post(f"{step}/done", headers=citizen).status_code == 200
                continue
            shown = api.get(step, headers=citizen)
            assert '"correct"' not in shown.text  # the learner's client never sees the answers
            answers = {
                question["id"]: [
                    option["id"] for option in question["options"] if option["correct"]
                ]
                for question in lesson["questions"]
            }
            graded = api.post(f"{step}/attempts", json={"answers": answers}, headers=citizen)
            assert (graded.status_code, graded.json()["score"]) == (201, 100), graded.text
    [mine] = api.get("/me/courses", headers=citizen).json()["items"]
    assert (mine["course_slug"], mine["status"], mine["percent"]) == (
        "ai-basics-for-everyone",
        "completed",
        100,
    )
    joined = api.post(f"/cohorts/{cohort}/enrolments", headers=citizen)
    assert (joined.status_code, joined.json()["status"]) == (201, "confirmed"), joined.text


def test_demo_runs_stops_cleanly_and_keeps_its_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    port = free_port()
    with running_demo(data_dir, port) as (base_url, lines):
        printed = "".join(lines)
        for path in ("/schema", "/healthz", "/readyz"):
            assert f"{base_url}{path}" in printed
        ready = httpx.get(f"{base_url}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "postgres": "ok", "redis": "ok"}
        schema = httpx.get(f"{base_url}/schema/openapi.json", timeout=10)
        assert schema.json()["info"]["title"] == "year2026 API"
        missing = httpx.get(f"{base_url}/nowhere", timeout=10)
        assert missing.headers["content-type"] == "application/problem+json"
        asyncio.run(
            _demo_database(
                data_dir,
                "CREATE TABLE e2e_marker (note text)",
                "INSERT INTO e2e_marker VALUES ('kept across runs')",
            )
        )
        # the demo accounts are printed with their passwords, and they work
        tokens = {}
        for role, email, password in _printed_accounts(printed):
            signed_in = httpx.post(
                f"{base_url}/auth/sign-in", json={"email": email, "password": password}, timeout=10
            )
            assert signed_in.status_code == 200, signed_in.text
            token = tokens[role] = signed_in.json()["access_token"]
            me = httpx.get(f"{base_url}/me", headers={"Authorization": f"Bearer {token}"})
            assert role in me.json()["roles"]
        _learn_the_demo_courses(base_url, tokens)
        assert {role for role, _, _ in _printed_accounts(printed)} == {
            "citizen",
            "organizer",
            "staff",
            "admin",
        }
        # the worker is up: it records a heartbeat in Redis as it starts
        assert _worker_heartbeat(data_dir) is not None

    # nothing listens any more
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/healthz", timeout=2)

    with running_demo(data_dir, port) as (base_url, lines):
        assert httpx.get(f"{base_url}/readyz", timeout=10).status_code == 200
        marker = asyncio.run(_demo_database(data_dir, "SELECT note FROM e2e_marker"))
        assert marker == "kept across runs"
        # loading the demo again changed nothing and broke nothing
        assert len(_printed_accounts("".join(lines))) == 4
        assert asyncio.run(_demo_database(data_dir, "SELECT count(*) FROM person")) == 4


def _demo_process(data_dir: Path, *command: str) -> int:
    """The pid of the live process of the demo in `data_dir` whose command line ends with
    `command` (program names compared without their folder)."""
    wanted = f"YEAR2026_DATA_DIR={data_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = [os.path.basename(word.decode()) for word in _proc_words(entry / "cmdline")]
            environment = _proc_words(entry / "environ")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, UnicodeDecodeError):
            continue
        if words[-len(command) :] == list(command) and wanted in environment and state != "Z":
            return int(entry.name)
    raise AssertionError(f"no process {command} of the demo in {data_dir}")


def _proc_words(path: Path) -> list[bytes]:
    return [word for word in path.read_bytes().split(b"\0") if word]


def _wait_for_line(lines: list[str], text: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in lines):
        assert time.monotonic() < deadline, f"no line {text!r} in:\n{''.join(lines)}"
        time.sleep(0.1)


def _wait_for_status(url: str, status: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while (answer := httpx.get(url, timeout=5)).status_code != status:
        assert time.monotonic() < deadline, f"{url}: {answer.status_code} {answer.text}"
        time.sleep(0.1)


def _fresh_heartbeat(store: redis.Redis, since: dt.datetime, timeout: float) -> dt.datetime:
    """The worker's heartbeat once it is one recorded at `since` or later."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.RedisError):
            value = store.get(HEARTBEAT_KEY)
            if isinstance(value, bytes) and dt.datetime.fromisoformat(value.decode()) >= since:
                return dt.datetime.fromisoformat(value.decode())
        time.sleep(0.1)
    raise AssertionError(f"no heartbeat since {since} within {timeout} s")


def _now_to_the_second() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)  # heartbeats are in whole seconds


def test_demo_restarts_what_dies_and_the_platform_works_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    with running_demo(data_dir, free_port()) as (base_url, lines):
        store = redis.Redis(unix_socket_path=str(redis_socket_path(data_dir)), socket_timeout=2)
        try:
            assert _worker_heartbeat(data_dir) is not None  # the worker is up
            _, email, password = _printed_accounts("".join(lines))[0]
            credentials = {"email": email, "password": password}
            signed_in = httpx.post(f"{base_url}/auth/sign-in", json=credentials, timeout=10)
            bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

            # Redis is killed. The launcher is frozen meanwhile, only so that the outage lasts
            # long enough to be seen from outside: it would restart Redis within half a second.
            redis_pid = cast("dict[str, int]", store.info("server"))["process_id"]
            store.delete(HEARTBEAT_KEY)
            store.save()  # the dump Redis reloads holds no heartbeat either
            launcher = _demo_process(data_dir, "year2026", "demo")
            os.kill(launcher, signal.SIGSTOP)
            try:
                killed_at = _now_to_the_second()
                os.kill(redis_pid, signal.SIGKILL)
                _wait_for_status(f"{base_url}/readyz", 503)
                assert httpx.get(f"{base_url}/healthz", timeout=5).status_code == 200
                # sign-in needs Redis (its rate limits): a 503 that says so, not a 500
                refused = httpx.post(f"{base_url}/auth/sign-in", json=credentials, timeout=10)
                assert (refused.status_code, refused.json()["code"]) == (503, "redis-unavailable")
                assert refused.headers["retry-after"] == "5"
                # a signed-in read does not: revocation is checked in PostgreSQL meanwhile
                assert httpx.get(f"{base_url}/me", headers=bearer, timeout=10).status_code == 200
            finally:
                os.kill(launcher, signal.SIGCONT)
            _wait_for_line(lines, "Redis stopped unexpectedly (exit -9); restarting (1/5)")
            _fresh_heartbeat(store, since=killed_at, timeout=10)  # the worker works again
            _wait_for_status(f"{base_url}/readyz", 200, timeout=10)
            again = httpx.post(f"{base_url}/auth/sign-in", json=credentials, timeout=10)
            assert again.status_code == 200, again.text

            # the worker is killed: a new one starts and records its heartbeat
            worker = _demo_process(data_dir, "year2026", "worker")
            store.delete(HEARTBEAT_KEY)
            killed_at = _now_to_the_second()
            os.kill(worker, signal.SIGKILL)
            _wait_for_line(lines, "The worker stopped unexpectedly (exit -9); restarting (1/5)")
            _fresh_heartbeat(store, since=killed_at, timeout=30)
            assert _demo_process(data_dir, "year2026", "worker") != worker

            # PostgreSQL is killed: it comes back with its data, and the API with it
            postmaster_pid = (data_dir / "postgres" / "postmaster.pid").read_text().split()[0]
            os.kill(int(postmaster_pid), signal.SIGKILL)
            _wait_for_line(lines, "PostgreSQL stopped unexpectedly (exit -9); restarting (1/5)")
            _wait_for_status(f"{base_url}/readyz", 200, timeout=30)
            assert asyncio.run(_demo_database(data_dir, "SELECT count(*) FROM person")) == 4
        finally:
            store.close()
