"""The sign-in flows as a client sees them, with their rate limits: sign-up, sign-in, refresh.

Limits count per client address and per account (the normalised email, or the session of a
refresh token), in Redis, so several API processes share them.
"""

from __future__ import annotations

import uuid

from redis.asyncio import Redis

from year2026.auth import revocation, sessions
from year2026.auth.sessions import TokenIssuer
from year2026.i18n import Language
from year2026.people import accounts
from year2026.people.enums import Region
from year2026.people.records import TokenPair
from year2026.ratelimit import Limit, hit, reset
from year2026.settings import Settings

_ACCOUNT_WINDOW_SECONDS = 15 * 60


def address_limit(settings: Settings, flow: str) -> Limit:
    return Limit(f"{flow}:address", settings.auth_rate_per_address, 60)


def account_limit(settings: Settings, flow: str) -> Limit:
    return Limit(f"{flow}:account", settings.auth_rate_per_account, _ACCOUNT_WINDOW_SECONDS)


async def forget_person(issuer: TokenIssuer, redis: Redis, person_id: uuid.UUID) -> None:
    """`DELETE /me`: personal data erased, sessions ended, live access tokens refused."""
    await accounts.erase_person(person_id)  # raises the token generation with the rest
    await revocation.remember_generation(
        redis, person_id, await revocation.stored_generation(person_id)
    )


async def sign_up(
    issuer: TokenIssuer,
    redis: Redis,
    *,
    email: str,
    password: str,
    display_name: str,
    preferred_language: Language,
    region: Region | None,
    address: str,
    user_agent: str,
) -> tuple[uuid.UUID, TokenPair]:
    settings = issuer.settings
    await hit(redis, address_limit(settings, "sign-up"), address)
    await hit(redis, account_limit(settings, "sign-up"), accounts.normalize_email(email).lower())
    person_id = await accounts.sign_up(
        email=email,
        password=password,
        display_name=display_name,
        preferred_language=preferred_language,
        region=region,
    )
    return person_id, await sessions.start_session(issuer, person_id, user_agent)


async def sign_in(
    issuer: TokenIssuer,
    redis: Redis,
    *,
    email: str,
    password: str,
    address: str,
    user_agent: str,
) -> TokenPair:
    settings = issuer.settings
    account = accounts.normalize_email(email).lower()
    await hit(redis, address_limit(settings, "sign-in"), address)
    await hit(redis, account_limit(settings, "sign-in"), account)
    person_id = await accounts.authenticate(email, password)
    # a success forgives earlier typos: the account's failure budget starts again
    await reset(redis, account_limit(settings, "sign-in"), account)
    return await sessions.start_session(issuer, person_id, user_agent)


async def refresh(
    issuer: TokenIssuer, redis: Redis, *, refresh_token: str, address: str, user_agent: str
) -> TokenPair:
    settings = issuer.settings
    await hit(redis, address_limit(settings, "refresh"), address)
    await hit(redis, account_limit(settings, "refresh"), sessions.hash_refresh_token(refresh_token))
    return await sessions.refresh_session(issuer, refresh_token, user_agent)
