"""Reading answers the way a client does: problem details, and the JWTs in token answers."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

PROBLEM = "application/problem+json"


def problem_of(response: httpx.Response) -> tuple[int, str, str]:
    """Status, media type and our `code`: what a client branches on."""
    return (
        response.status_code,
        response.headers["content-type"].split(";")[0],
        response.json().get("code", ""),
    )


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The body, once it is checked to be RFC 9457 problem details as every one of ours is: the
    status, our media type, a title and a detail, and the request id of the response header."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["title"]
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def b64url(data: bytes) -> str:
    """base64url without padding, as JOSE writes it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict[str, Any]) -> str:
    """A JWT segment holding `value` (for forging tokens in tests)."""
    return b64url(json.dumps(value).encode())


def json_segment(segment: str) -> dict[str, Any]:
    """The JSON object in one base64url segment of a JWT."""
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


def jwt_header(token: str) -> dict[str, Any]:
    """A JWT's header (read, not verified)."""
    return json_segment(token.split(".")[0])


def jwt_claims(token: str) -> dict[str, Any]:
    """A JWT's claims (read, not verified: the API, or a JOSE library in the test, verifies)."""
    return json_segment(token.split(".")[1])


def token_roles(access_token: str) -> list[str]:
    """The roles an access token carries (read, not verified: the API verifies it)."""
    return sorted(jwt_claims(access_token)["roles"])
