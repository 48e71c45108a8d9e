"""The sign-in flows as a client sees them, with their rate limits: sign-up, sign-in, refresh.

Limits are kept in Redis, so several API processes share them. Every flow counts its attempts per
client address. Sign-up counts per email and refresh per session (refresh token) as well.

Password sign-in must not let a stranger lock the owner out, so wrong passwords for an account
are counted per (account, address) pair, where a stranger exhausts only their own budget, and
under a looser ceiling for the account across addresses, which stops guessing spread over many
addresses. Addresses the account has signed in (or up) from in the last `KNOWN_ADDRESS_DAYS`
days are not held to the ceiling: an attacker who fills it cannot keep the owner out from home.
The README's "Sign-in limits" says the same for operators.
"""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from year2026.auth import revocation, sessions
from year2026.auth.sessions import TokenIssuer
from year2026.i18n import Language
from year2026.people import accounts, queries
from year2026.people.enums import Region
from year2026.people.errors import InvalidCredentials
from year2026.people.personal_data import NO_PARTS, PersonalDataParts
from year2026.people.records import TokenPair
from year2026.ratelimit import Limit, digest, forgive, hit, hit_all, reset
from year2026.settings import Settings

_ACCOUNT_WINDOW_SECONDS = 15 * 60
_CEILING_WINDOW_SECONDS = 60 * 60
KNOWN_ADDRESS_DAYS = 30
KNOWN_ADDRESSES_KEPT = 20
KNOWN_ADDRESS_PREFIX = "year2026:known-addresses"
_KNOWN_ADDRESS_SECONDS = KNOWN_ADDRESS_DAYS * 24 * 60 * 60


def address_limit(settings: Settings, flow: str) -> Limit:
    return Limit(f"{flow}:address", settings.auth_rate_per_address, 60)


def account_limit(settings: Settings, flow: str) -> Limit:
    return Limit(f"{flow}:account", settings.auth_rate_per_account, _ACCOUNT_WINDOW_SECONDS)


def account_address_limit(settings: Settings) -> Limit:
    """Wrong passwords for one account from one address."""
    return Limit("sign-in:account-address", settings.auth_rate_per_account, _ACCOUNT_WINDOW_SECONDS)


def account_ceiling(settings: Settings) -> Limit:
    """Wrong passwords for one account from all its unknown addresses together."""
    return Limit(
        "sign-in:account-ceiling", settings.auth_rate_account_ceiling, _CEILING_WINDOW_SECONDS
    )


def _pair(account: str, address: str) -> str:
    return f"{account}\n{address}"


def _known_addresses_key(account: str) -> str:
    return f"{KNOWN_ADDRESS_PREFIX}:{digest(account)}"


async def _remember_address(redis: Redis, account: str, address: str) -> None:
    """The account was signed in (or up) to from this address: a good history, for a while.

    One sorted set per account, of hashed addresses scored by the last success, holding the
    newest `KNOWN_ADDRESSES_KEPT` within `KNOWN_ADDRESS_DAYS`; the whole set expires with its
    newest member, and goes at once when the person is erased."""
    now = time.time()
    key = _known_addresses_key(account)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zadd(key, {digest(address): now})
        pipe.zremrangebyscore(key, "-inf", now - _KNOWN_ADDRESS_SECONDS)
        pipe.zremrangebyrank(key, 0, -KNOWN_ADDRESSES_KEPT - 1)
        pipe.expire(key, _KNOWN_ADDRESS_SECONDS)
        await pipe.execute()


async def _is_known_address(redis: Redis, account: str, address: str) -> bool:
    last_success = await redis.zscore(_known_addresses_key(account), digest(address))
    return last_success is not None and last_success > time.time() - _KNOWN_ADDRESS_SECONDS


async def forget_person(
    issuer: TokenIssuer,
    redis: Redis,
    person_id: uuid.UUID,
    parts: PersonalDataParts = NO_PARTS,
) -> None:
    """`DELETE /me`: personal data erased, sessions ended, live access tokens refused, and the
    addresses the person signed in from forgotten."""
    row = await queries.person_row(person_id)
    await accounts.erase_person(person_id, parts)  # raises the token generation with the rest
    await revocation.remember_generation(
        redis, person_id, await revocation.stored_generation(person_id)
    )
    if row is not None and row["email"]:
        await redis.delete(_known_addresses_key(accounts.normalize_email(row["email"]).lower()))


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
    account = accounts.normalize_email(email).lower()
    await hit(redis, account_limit(settings, "sign-up"), account)
    person_id = await accounts.sign_up(
        email=email,
        password=password,
        display_name=display_name,
        preferred_language=preferred_language,
        region=region,
    )
    await _remember_address(redis, account, address)
    return person_id, await sessions.start_session(issuer, person_id, user_agent, redis)


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
    pair = _pair(account, address)
    limited = [(account_address_limit(settings), pair)]
    if not await _is_known_address(redis, account, address):
        limited.append((account_ceiling(settings), account))
    # counted before the password is checked, so that a burst of guesses sent at once cannot
    # all pass the limits while the first ones are still being verified
    attempt = await hit_all(redis, limited)
    try:
        person_id = await accounts.authenticate(email, password)
    except InvalidCredentials:
        raise  # a wrong guess: it stays counted
    except Exception:
        await forgive(redis, attempt)  # no answer about the password (the database away…)
        raise
    # a right password is no failure, and forgives this address its earlier typos
    await forgive(redis, attempt)
    await reset(redis, account_address_limit(settings), pair)
    await _remember_address(redis, account, address)
    return await sessions.start_session(issuer, person_id, user_agent, redis)


async def refresh(
    issuer: TokenIssuer, redis: Redis, *, refresh_token: str, address: str, user_agent: str
) -> TokenPair:
    settings = issuer.settings
    await hit(redis, address_limit(settings, "refresh"), address)
    await hit(redis, account_limit(settings, "refresh"), sessions.hash_refresh_token(refresh_token))
    return await sessions.refresh_session(issuer, refresh_token, user_agent)
