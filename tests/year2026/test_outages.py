"""PostgreSQL or Redis away: a 503 problem that names the dependency, never a 500; against a real
API process (the failure lives in the server's connections), pointed at sockets where nothing
listens."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.server import ServerSet, free_port, running_api
from year2026.auth.keys import load_signing_keys
from year2026.auth.tokens import issue_access_token
from year2026.i18n import Language
from year2026.people import accounts
from year2026.settings import Settings, load_settings

PASSWORD = "correct horse battery staple"


def _problem(response: httpx.Response) -> tuple[int, str, str, str | None, int | None]:
    body = response.json()
    return (
        response.status_code,
        response.headers["content-type"],
        body["code"],
        response.headers.get("retry-after"),
        body.get("retry_after"),
    )


@contextmanager
def _api_without(
    test_servers: ServerSet, tmp_path: Path, dependency: str
) -> Iterator[tuple[str, Settings]]:
    """A real API process whose `dependency` ("postgres" or "redis") is a dead socket."""
    dead = tmp_path / "nothing-listens-here"
    dead.mkdir()
    environment = dict(test_servers.environment)
    if dependency == "postgres":
        environment["YEAR2026_DATABASE_URL"] = f"postgresql://postgres@/year2026?host={dead}"
    else:
        environment["YEAR2026_REDIS_URL"] = f"unix://{dead}/redis.sock"
    port = free_port()
    environment["YEAR2026_PORT"] = str(port)
    with running_api(environment, tmp_path / "api.log", port=port) as base_url:
        yield base_url, load_settings(environment)


def _bearer(settings: Settings, person_id: uuid.UUID) -> dict[str, str]:
    token, _ = issue_access_token(
        load_signing_keys(settings), settings, person_id, ["citizen"], dt.datetime.now(dt.UTC)
    )
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


SIGN_IN = {"email": "aigerim@example.kz", "password": PASSWORD}
DATABASE_AWAY = (503, "application/problem+json", "database-unavailable", "5", 5)
REDIS_AWAY = (503, "application/problem+json", "redis-unavailable", "5", 5)


def test_postgres_away_is_a_503_naming_the_database(
    test_servers: ServerSet, clean_state: Settings, tmp_path: Path
) -> None:
    with _api_without(test_servers, tmp_path, "postgres") as (base_url, settings):
        headers = _bearer(settings, uuid.uuid4())
        with httpx.Client(base_url=base_url, timeout=30) as http:
            answers = {
                "me": http.get("/me", headers=headers),
                "organizations": http.get("/organizations", headers={"Accept-Language": "en"}),
                "sign-in": http.post("/auth/sign-in", json=SIGN_IN),
                "sign-up": http.post("/auth/sign-up", json={**SIGN_IN, "display_name": "A"}),
                "refresh": http.post("/auth/refresh", json={"refresh_token": "x" * 43}),
            }
    assert {name: _problem(answer) for name, answer in answers.items()} == dict.fromkeys(
        answers, DATABASE_AWAY
    )
    body = answers["me"].json()
    assert body["detail"] == "The database is not answering just now. Try again in 5 seconds."
    assert str(tmp_path) not in answers["me"].text  # nothing internal leaks


async def test_redis_away_is_a_503_naming_redis_where_redis_is_needed(
    test_servers: ServerSet, clean_state: Settings, tmp_path: Path
) -> None:
    person_id = await accounts.sign_up(
        email="aigerim@example.kz",
        password=PASSWORD,
        display_name="Айгерім",
        preferred_language=Language.KK,
    )
    with _api_without(test_servers, tmp_path, "redis") as (base_url, settings):
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            # rate limits live in Redis: sign-in and refresh wait for it rather than go unguarded
            limited = {
                "sign-in": await http.post("/auth/sign-in", json=SIGN_IN),
                "refresh": await http.post("/auth/refresh", json={"refresh_token": "x" * 43}),
            }
            # a signed-in read needs only PostgreSQL: revocation is checked there
            me = await http.get("/me", headers=_bearer(settings, person_id))
            details = {}
            for language in ("kk", "ru", "en"):
                answer = await http.post(
                    "/auth/sign-in", json=SIGN_IN, headers={"Accept-Language": language}
                )
                details[language] = answer.json()["detail"]
    assert {name: _problem(answer) for name, answer in limited.items()} == dict.fromkeys(
        limited, REDIS_AWAY
    )
    assert me.status_code == 200
    assert me.json()["id"] == str(person_id)
    assert details == {
        "kk": "Redis қазір жауап бермейді. 5 секундтан кейін қайталап көріңіз.",
        "ru": "Redis сейчас не отвечает. Повторите через 5 с.",
        "en": "Redis is not answering just now. Try again in 5 seconds.",
    }
