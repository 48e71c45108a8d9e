"""The app factory's corrections to Litestar: the automatic OPTIONS answer names every method."""

from __future__ import annotations

import uuid

import httpx


async def test_options_allow_names_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    """Litestar 2 answers OPTIONS with the methods of the first handler registered on a path
    only (litestar#4169); the app factory completes it."""
    organization = f"/organizations/{uuid.uuid4()}"
    paths = ["/me", "/organizations", organization, f"{organization}/members", "/regions"]
    answers = {path: await client.options(path) for path in paths}

    assert {path: answer.status_code for path, answer in answers.items()} == dict.fromkeys(
        paths, 204
    )
    assert {path: answer.headers["allow"] for path, answer in answers.items()} == {
        "/me": "DELETE, GET, OPTIONS, PATCH",
        "/organizations": "GET, OPTIONS, POST",
        organization: "GET, OPTIONS, PATCH",
        f"{organization}/members": "GET, OPTIONS, POST",
        "/regions": "GET, OPTIONS",
    }
