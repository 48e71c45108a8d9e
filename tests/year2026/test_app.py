"""The app factory's corrections to Litestar: the automatic OPTIONS answer names every method, and
no handler can skip the request checks with a hook of its own."""

from __future__ import annotations

import uuid

import httpx
import pytest
from litestar import Request, get
from litestar.exceptions import ImproperlyConfiguredException

from year2026.app import create_app
from year2026.settings import Settings


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


async def _own_hook(request: Request[object, object, object]) -> None:
    return None


@get("/probe/own-hook", before_request=_own_hook)
async def handler_with_its_own_hook() -> None:
    return None


@get("/probe/plain")
async def plain_handler() -> None:
    return None


def test_a_handler_with_its_own_before_request_hook_is_refused(settings: Settings) -> None:
    create_app(settings, extra_route_handlers=[plain_handler])  # the control: it starts
    with pytest.raises(ImproperlyConfiguredException, match="/probe/own-hook"):
        create_app(settings, extra_route_handlers=[handler_with_its_own_hook])
