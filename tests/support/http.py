"""Reading answers the way a client does."""

from __future__ import annotations

import base64
import json

import httpx


def problem_of(response: httpx.Response) -> tuple[int, str, str]:
    """Status, media type and our `code`: what a client branches on."""
    return (
        response.status_code,
        response.headers["content-type"].split(";")[0],
        response.json().get("code", ""),
    )


def token_roles(access_token: str) -> list[str]:
    """The roles an access token carries (read, not verified: the API verifies it)."""
    payload = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return sorted(claims["roles"])
