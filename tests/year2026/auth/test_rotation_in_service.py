"""Key rotation while the API runs: the new key signs, the old tokens keep working, and the
published JWKS lets a third party (PyJWT) verify both."""

from __future__ import annotations

import asyncio

import httpx
import jwt
import pytest
from click.testing import CliRunner

from tests.support import cli, people
from tests.support.http import jwt_header
from year2026.auth.sessions import TokenIssuer
from year2026.auth.tokens import AUDIENCE
from year2026.cli import main
from year2026.settings import Settings, get_settings


def kid_of(token: str) -> str:
    return str(jwt_header(token)["kid"])


async def test_rotation_is_picked_up_by_the_running_api(
    client: httpx.AsyncClient, clean_state: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TokenIssuer, "RELOAD_CHECK_SECONDS", 0.0)
    before = await people.sign_up(client)
    old_kid = kid_of(before.access_token)

    rotated = await asyncio.to_thread(cli.invoke, main, clean_state, ["rotate-keys"])
    assert rotated.exit_code == 0, rotated.output
    new_kid = rotated.output.strip()
    assert new_kid != old_kid

    after = await people.sign_in(client, before.email)
    assert kid_of(after.access_token) == new_kid
    # the token signed before the rotation is still accepted
    assert (await client.get("/me", headers=before.headers)).status_code == 200

    published = (await client.get("/.well-known/jwks.json")).json()
    assert {key["kid"] for key in published["keys"]} == {old_kid, new_kid}
    key_set = jwt.PyJWKSet.from_dict(published)
    for token in (before.access_token, after.access_token):
        key = next(k for k in key_set.keys if k.key_id == kid_of(token))
        claims = jwt.decode(
            token,
            key.key,
            algorithms=["ES256"],
            audience=AUDIENCE,
            issuer=clean_state.effective_public_url,
        )
        assert claims["sub"] == str(before.person_id)


def test_rotate_keys_refuses_keys_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEAR2026_JWT_KEYS", '{"keys": []}')
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["rotate-keys"])
    finally:
        monkeypatch.delenv("YEAR2026_JWT_KEYS")
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "YEAR2026_JWT_KEYS" in result.output
