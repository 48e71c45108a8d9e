"""/healthz says the process lives; /readyz says whether PostgreSQL and Redis answer."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.http import assert_problem
from tests.support.server import ServerSet, running_api


async def test_healthz_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readyz_is_200_when_both_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "postgres": "ok", "redis": "ok"}


@pytest.mark.parametrize(
    ("broken", "down"),
    [
        ("YEAR2026_DATABASE_URL", "PostgreSQL"),
        ("YEAR2026_REDIS_URL", "Redis"),
    ],
)
def test_readyz_is_503_problem_when_a_server_is_unreachable(
    test_servers: ServerSet, tmp_path: Path, broken: str, down: str
) -> None:
    # a socket path where nothing listens: the server is unreachable, not misconfigured
    dead_socket_dir = tmp_path / "nothing-listens-here"
    dead_socket_dir.mkdir()
    environment = dict(test_servers.environment)
    environment[broken] = (
        f"postgresql://postgres@/year2026?host={dead_socket_dir}"
        if broken == "YEAR2026_DATABASE_URL"
        else f"unix://{dead_socket_dir}/redis.sock"
    )
    with running_api(environment, tmp_path / "api.log") as base_url:
        assert httpx.get(f"{base_url}/healthz", timeout=10).status_code == 200
        response = httpx.get(f"{base_url}/readyz", headers={"Accept-Language": "en"}, timeout=15)
    body = assert_problem(response, 503, "not-ready")
    assert body["detail"] == f"Not reachable: {down}."
    assert str(dead_socket_dir) not in response.text  # nothing internal leaks
