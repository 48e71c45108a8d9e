"""What the running server does with request bodies it must not read as JSON: another media type
(415), invalid UTF-8 and deep nesting (400), all as problem details. Raw bytes go over a real
socket to a real `year2026 serve`, where these defects lived."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.events import event_body
from tests.support.http import assert_problem
from tests.support.people import PASSWORD, sign_up, unique_email
from tests.support.server import ServerSet, running_api
from year2026.settings import Settings

UNREADABLE = {
    "type": "about:blank",
    "title": "Bad request",
    "status": 400,
    "detail": "The request could not be understood: check the fields listed.",
    "code": "bad-request",
}
UNSUPPORTED = {
    "type": "about:blank",
    "title": "Unsupported media type",
    "status": 415,
    "detail": "Send the request body as JSON.",
    "code": "unsupported-media-type",
}
SIGN_IN = b'{"email": "nobody@example.kz", "password": "not the password"}'


@pytest.fixture(scope="module")
def base_url(
    test_servers: ServerSet, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = tmp_path_factory.mktemp("request-checks") / "api.log"
    with running_api(test_servers.environment, Path(log)) as url:
        yield url


@pytest.fixture
def http(base_url: str, clean_state: Settings) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30, headers={"Accept-Language": "en"}) as client:
        yield client


def signed_in_headers(http: httpx.Client) -> dict[str, str]:
    answer = http.post(
        "/auth/sign-up",
        json={"email": unique_email(), "password": PASSWORD, "display_name": "Айгерім"},
    )
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def problem(answer: httpx.Response) -> dict[str, object]:
    """The body, its request id checked against the header and then left out."""
    assert answer.headers["content-type"] == "application/problem+json"
    body = dict(answer.json())
    assert body.pop("request_id") == answer.headers["x-request-id"]
    return body


def body_error(message: str) -> dict[str, object]:
    return {**UNREADABLE, "errors": [{"source": "body", "field": "", "message": message}]}


@pytest.mark.parametrize(
    ("method", "path", "content"),
    [
        ("POST", "/auth/sign-in", b'{"email": "a@b.kz", "password": "\xff"}'),
        (
            "POST",
            "/auth/sign-up",
            b'{"email": "a@b.kz", "password": "\xffcorrect horse", "display_name": "A"}',
        ),
        ("PATCH", "/me", b'{"display_name": "\xc3\x28"}'),
    ],
)
def test_invalid_utf8_in_a_string_is_400(
    http: httpx.Client, method: str, path: str, content: bytes
) -> None:
    headers = {"Content-Type": "application/json"}
    if path == "/me":
        headers.update(signed_in_headers(http))

    answer = http.request(method, path, content=content, headers=headers)

    assert answer.status_code == 400
    assert problem(answer) == body_error("JSON is malformed: a string is not valid UTF-8")


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, b"[" * 100_000 + b"]" * 100_000, b'{"email": ' + b"[" * 100_000],
    ids=["unclosed", "closed", "inside-a-field"],
)
def test_deeply_nested_json_is_400(http: httpx.Client, content: bytes) -> None:
    answer = http.post(
        "/auth/sign-in", content=content, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 400
    assert problem(answer) == body_error("JSON is malformed: nested too deeply")


def test_nesting_a_thousand_deep_is_400(http: httpx.Client) -> None:
    # whether the decoder stops here or validation refuses the array depends on the Python
    # version's recursion limit; either way a 400 about the body
    content = b"[" * 1000 + b"]" * 1000
    answer = http.post(
        "/auth/sign-in", content=content, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 400
    body = problem(answer)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert (body["code"], [error["source"] for error in errors]) == ("bad-request", ["body"])


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        "application/json; charset=latin-1",
        None,
    ],
)
def test_a_json_body_declared_as_anything_else_is_415(
    http: httpx.Client, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    answer = http.post("/auth/sign-in", content=SIGN_IN, headers=headers)

    assert answer.status_code == 415
    assert problem(answer) == UNSUPPORTED


def test_a_json_body_of_another_media_type_is_415_on_patch_too(http: httpx.Client) -> None:
    headers = {"Content-Type": "text/plain", **signed_in_headers(http)}

    answer = http.patch("/me", content=b'{"display_name": "Mallory"}', headers=headers)

    assert answer.status_code == 415
    assert problem(answer) == UNSUPPORTED
    profile = http.get("/me", headers=headers).json()
    assert profile["display_name"] == "Айгерім"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON; Charset=UTF-8",
        "application/merge-patch+json",
    ],
)
def test_json_media_types_are_read(http: httpx.Client, content_type: str) -> None:
    answer = http.post("/auth/sign-in", content=SIGN_IN, headers={"Content-Type": content_type})

    # read and checked: the credentials are wrong
    assert (answer.status_code, answer.json()["code"]) == (401, "invalid-credentials")


def test_an_empty_body_without_a_media_type_is_a_missing_body(http: httpx.Client) -> None:
    answer = http.post("/auth/sign-out")

    assert answer.status_code == 400
    assert problem(answer)["code"] == "bad-request"


def test_the_schema_documents_415_for_operations_with_a_json_body(http: httpx.Client) -> None:
    paths = http.get("/schema/openapi.json").json()["paths"]

    with_415 = sorted(
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "415" in operation.get("responses", {})
    )
    with_body = sorted(
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    )

    assert with_415 == with_body
    assert "POST /auth/sign-in" in with_415
    assert paths["/auth/sign-in"]["post"]["responses"]["415"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


async def test_a_number_for_a_date_time_in_a_body_is_refused_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    """Litestar's lenient conversion would take 0 as 1970-01-01: the schema says a string."""
    person = await sign_up(client)
    response = await client.post(
        "/events", json=event_body(uuid.uuid4(), starts_at=0), headers=person.headers
    )
    body = assert_problem(response, 400)
    assert [(error["source"], error["field"]) for error in body["errors"]] == [
        ("body", "starts_at")
    ]
