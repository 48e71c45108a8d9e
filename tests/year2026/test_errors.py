"""Every error is RFC 9457 problem details: malformed, mistyped, unknown, oversized, 500…"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import msgspec
import pytest
from litestar import get, post
from litestar.params import FromPath, FromQuery, JSONBody

from tests.support.asgi import serving
from tests.support.http import assert_problem
from year2026.app import create_app
from year2026.exceptions import NotFound
from year2026.settings import Settings


class Booking(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    seats: Annotated[int, msgspec.Meta(ge=1, le=10)]


@post("/probe/events/{event_id:int}/bookings", status_code=201)
async def book(
    event_id: FromPath[int], data: JSONBody[Booking], note: FromQuery[int] = 0
) -> Booking:
    return data


@get("/probe/crash")
async def crash() -> None:
    raise RuntimeError("connection to db-internal.example:5432 failed, password=hunter2")


@get("/probe/gone")
async def gone() -> None:
    raise NotFound


@pytest.fixture
async def probe_client(clean_state: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(clean_state, extra_route_handlers=[book, crash, gone])
    async with serving(app) as client:
        yield client


async def test_valid_booking_is_accepted(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post("/probe/events/7/bookings", json={"name": "Aru", "seats": 2})
    assert response.status_code == 201
    assert response.json() == {"name": "Aru", "seats": 2}


async def test_malformed_json_is_400_problem(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings",
        content=b'{"name": "Aru", "seats": ',
        headers={"content-type": "application/json"},
    )
    body = assert_problem(response, 400, "bad-request")
    assert body["errors"] == [
        {"source": "body", "field": "", "message": "Input data was truncated"}
    ]


async def test_wrong_type_names_the_field(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings", json={"name": "Aru", "seats": "two"}
    )
    body = assert_problem(response, 400)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1
    assert errors[0] == {"source": "body", "field": "seats", "message": "Expected `int`, got `str`"}


async def test_out_of_range_value_is_400(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings", json={"name": "Aru", "seats": 11}
    )
    body = assert_problem(response, 400)
    assert "seats" in str(body["errors"])


async def test_unknown_field_is_refused(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings", json={"name": "Aru", "seats": 1, "admin": True}
    )
    body = assert_problem(response, 400)
    assert "admin" in str(body["errors"])


async def test_oversized_body_is_413(
    probe_client: httpx.AsyncClient, clean_state: Settings
) -> None:
    huge = b'{"name": "' + b"a" * (clean_state.max_body_bytes + 10) + b'", "seats": 1}'
    response = await probe_client.post(
        "/probe/events/7/bookings", content=huge, headers={"content-type": "application/json"}
    )
    assert_problem(response, 413, "payload-too-large")


async def test_bad_path_parameter_is_4xx(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/seven/bookings", json={"name": "A", "seats": 1}
    )
    assert 400 <= response.status_code < 500
    assert_problem(response, response.status_code)


async def test_bad_query_parameter_is_400(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings?note=many", json={"name": "A", "seats": 1}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == [
        {"source": "query", "field": "note", "message": "Expected `int`, got `str`"}
    ]


async def test_unknown_route_is_404_problem_with_request_id(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.get("/no/such/page", headers={"X-Request-ID": "trace-42"})
    body = assert_problem(response, 404)
    assert body["request_id"] == "trace-42"


@pytest.mark.parametrize("path", ["/schema/no-such-page", "/schema/swagger", "/schema/x.yaml"])
async def test_unknown_path_under_the_schema_is_404_problem(
    probe_client: httpx.AsyncClient, path: str
) -> None:
    # Litestar's own answer there was an HTML page
    response = await probe_client.get(path, headers={"X-Request-ID": "trace-43"})
    body = assert_problem(response, 404)
    assert body["request_id"] == "trace-43"


async def test_wrong_method_is_405_with_allow(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.delete("/probe/events/7/bookings")
    assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


async def test_crash_is_500_that_reveals_nothing(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.get("/probe/crash")
    assert_problem(response, 500, "internal-error")
    assert "hunter2" not in response.text
    assert "db-internal" not in response.text
    assert "RuntimeError" not in response.text


@pytest.mark.parametrize(
    ("accept_language", "content_language", "title"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.5", "ru", "Не найдено"),
        ("en-GB", "en", "Not found"),
        ("de-DE, kk;q=0.4", "kk", "Табылмады"),
        (None, "kk", "Табылмады"),
    ],
)
async def test_domain_error_speaks_the_callers_language(
    probe_client: httpx.AsyncClient,
    accept_language: str | None,
    content_language: str,
    title: str,
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = await probe_client.get("/probe/gone", headers=headers)
    body = assert_problem(response, 404, "not-found")
    assert body["title"] == title
    assert response.headers["content-language"] == content_language


async def test_request_id_is_echoed_or_made(probe_client: httpx.AsyncClient) -> None:
    echoed = await probe_client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    replaced = await probe_client.get("/healthz", headers={"X-Request-ID": "bad id\tinjected"})
    assert replaced.headers["x-request-id"] != "bad id\tinjected"
    assert len(replaced.headers["x-request-id"]) == 32


async def test_unknown_query_parameter_is_400(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post(
        "/probe/events/7/bookings?note=1&nte=2", json={"name": "A", "seats": 1}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == [
        {"source": "query", "field": "nte", "message": "Unknown query parameter"}
    ]


async def test_operation_without_parameters_refuses_query_and_documents_it(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.get("/healthz?verbose=1")
    body = assert_problem(response, 400)
    assert body["errors"] == [
        {"source": "query", "field": "verbose", "message": "Unknown query parameter"}
    ]
    schema = (await probe_client.get("/schema/openapi.json")).json()
    assert "400" in schema["paths"]["/healthz"]["get"]["responses"]
