"""Sign-in sessions: a short-lived access token plus a refresh token that rotates on every use.

Refresh tokens are random, stored only as SHA-256, and grouped in families (one per sign-in).
Spending one is a single conditional UPDATE, so two concurrent uses cannot both succeed; a token
presented after it was spent means it leaked, and the whole family is revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
import uuid
from collections import OrderedDict

from redis.asyncio import Redis

from year2026.auth import revocation
from year2026.auth.keys import SigningKeys, key_file_path, load_signing_keys
from year2026.auth.tokens import AccessClaims, issue_access_token, verify_access_token
from year2026.db import get_engine
from year2026.people import queries
from year2026.people.enums import Role
from year2026.people.errors import SessionEnded
from year2026.people.records import SessionInfo, TokenPair
from year2026.people.tables import Person, RefreshToken
from year2026.settings import Settings


class TokenIssuer:
    """The keys and settings that sign access tokens; one per process, on the app's state.

    When the keys live in the key file, a rotation done elsewhere (`year2026 rotate-keys`, another
    process) is picked up here within seconds: the file's stamp is checked at most every
    `RELOAD_CHECK_SECONDS`, so that every API process soon signs with, and publishes, the new key.
    """

    RELOAD_CHECK_SECONDS = 2.0
    VERIFIED_TOKENS = 10_000

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stamp = self._file_stamp()
        self._keys = load_signing_keys(settings)
        self._checked_at = time.monotonic()
        self._verified: OrderedDict[str, AccessClaims] = OrderedDict()

    def _file_stamp(self) -> tuple[int, int] | None:
        if self.settings.jwt_keys:
            return None
        try:
            status = key_file_path(self.settings).stat()
        except FileNotFoundError:
            return None
        return (status.st_mtime_ns, status.st_ino)

    @property
    def issuer(self) -> str:
        """The `iss` of what these keys sign: the platform's public URL."""
        return self.settings.effective_public_url

    @property
    def keys(self) -> SigningKeys:
        now = time.monotonic()
        if not self.settings.jwt_keys and now - self._checked_at >= self.RELOAD_CHECK_SECONDS:
            self._checked_at = now
            stamp = self._file_stamp()
            if stamp != self._stamp:
                self._keys = load_signing_keys(self.settings)
                self._stamp = stamp
                self._verified.clear()
        return self._keys

    def verify(self, token: str, now: dt.datetime) -> AccessClaims:
        """The claims of a valid access token (`verify_access_token`), remembered for the rest of
        the token's life: a client sends the same token with every request for minutes, and its
        signature needs checking once per process, not each time (revocation is still checked
        each time, by the caller). At most `VERIFIED_TOKENS` are remembered."""
        remembered = self._verified.get(token)
        if remembered is not None and now < remembered.expires_at:
            self._verified.move_to_end(token)
            return remembered
        claims = verify_access_token(self.keys, self.settings, token, now)
        self._verified[token] = claims
        if len(self._verified) > self.VERIFIED_TOKENS:
            self._verified.popitem(last=False)
        return claims


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _token_facts(person_id: uuid.UUID) -> tuple[set[Role], int]:
    facts = await queries.token_facts(person_id)
    if facts is None:
        raise SessionEnded
    return facts


async def _issue_pair(
    issuer: TokenIssuer,
    person_id: uuid.UUID,
    family_id: uuid.UUID,
    user_agent: str,
    facts: tuple[set[Role], int],
) -> TokenPair:
    """A new refresh token row in `family_id` and an access token; run inside a transaction that
    holds the person's row (`_token_facts`)."""
    roles, generation = facts
    now = _now()
    refresh_token = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=issuer.settings.refresh_token_days)
    await RefreshToken.insert(
        RefreshToken(
            person=person_id,
            family_id=family_id,
            token_hash=hash_refresh_token(refresh_token),
            expires_at=now + lifetime,
            user_agent=user_agent[:200],
        )
    )
    access_token, claims = issue_access_token(
        issuer.keys, issuer.settings, person_id, sorted(roles), now, generation
    )
    return TokenPair(
        access_token=access_token,
        token_type="Bearer",  # noqa: S106 - the RFC 6749 token type, not a secret
        expires_in=int((claims.expires_at - claims.issued_at).total_seconds()),
        refresh_token=refresh_token,
        refresh_expires_in=int(lifetime.total_seconds()),
    )


async def start_session(
    issuer: TokenIssuer, person_id: uuid.UUID, user_agent: str, redis: Redis | None = None
) -> TokenPair:
    """A new session: its first token pair. With `redis`, the person's token generation is
    cached at once (`revocation`), so that their first request costs one Redis GET, not a
    database query and a script as well (a registration rush comes right after sign-in)."""
    async with get_engine().transaction():
        facts = await _token_facts(person_id)
        pair = await _issue_pair(issuer, person_id, uuid.uuid4(), user_agent, facts)
    if redis is not None:
        # after the commit; the cache only ever rises, so a later sign-out's value stays
        await revocation.remember_generation(redis, person_id, facts[1])
    return pair


async def refresh_session(issuer: TokenIssuer, refresh_token: str, user_agent: str) -> TokenPair:
    token_hash = hash_refresh_token(refresh_token)
    async with get_engine().transaction():
        known = await RefreshToken.select(RefreshToken.person, RefreshToken.family_id).where(
            RefreshToken.token_hash == token_hash
        )
        if not known:
            raise SessionEnded
        # The person's row first, then the token: the order "sign out everywhere" locks them in.
        facts = await _token_facts(known[0]["person"])
        spent = (
            await RefreshToken.update({RefreshToken.used_at: _now()})
            .where(
                RefreshToken.token_hash == token_hash,
                RefreshToken.used_at.is_null(),
                RefreshToken.revoked_at.is_null(),
                RefreshToken.expires_at > _now(),
            )
            .returning(RefreshToken.person, RefreshToken.family_id)
        )
        if spent:
            return await _issue_pair(
                issuer, spent[0]["person"], spent[0]["family_id"], user_agent, facts
            )
    # Not spendable. Used before (or revoked)? Then it leaked: end every token of its family.
    await _revoke_families([known[0]["family_id"]])
    raise SessionEnded


async def _revoke_families(family_ids: list[uuid.UUID]) -> None:
    await RefreshToken.update({RefreshToken.revoked_at: _now()}).where(
        RefreshToken.family_id.is_in(family_ids), RefreshToken.revoked_at.is_null()
    )


async def end_session(refresh_token: str) -> None:
    """Sign-out: the session this refresh token belongs to ends (a no-op for unknown tokens)."""
    known = await RefreshToken.select(RefreshToken.family_id).where(
        RefreshToken.token_hash == hash_refresh_token(refresh_token)
    )
    if known:
        await _revoke_families([known[0]["family_id"]])


async def end_all_sessions(redis: Redis, person_id: uuid.UUID) -> None:
    """Sign-out everywhere: every refresh token revoked, and the access tokens issued until now
    refused, by raising the person's token generation in the same transaction (see
    `year2026.auth.revocation`). Locks the person's row, then their tokens."""
    async with get_engine().transaction():
        raised = (
            await Person.update({Person.token_generation: Person.token_generation + 1})
            .where(Person.id == person_id)
            .returning(Person.token_generation)
        )
        await RefreshToken.update({RefreshToken.revoked_at: _now()}).where(
            RefreshToken.person == person_id, RefreshToken.revoked_at.is_null()
        )
    if raised:
        await revocation.remember_generation(redis, person_id, raised[0]["token_generation"])


async def list_sessions(person_id: uuid.UUID) -> list[SessionInfo]:
    """The person's live sessions, newest first."""
    rows = await RefreshToken.raw(
        "SELECT family_id, min(created_at) AS started_at, max(created_at) AS last_used_at,"
        " max(expires_at) AS expires_at,"
        " (array_agg(user_agent ORDER BY created_at DESC))[1] AS user_agent"
        " FROM refresh_token WHERE person = {} AND revoked_at IS NULL"
        " GROUP BY family_id HAVING bool_or(used_at IS NULL AND expires_at > now())"
        " ORDER BY last_used_at DESC",
        person_id,
    )
    return [SessionInfo(**row) for row in rows]


async def purge_expired_refresh_tokens() -> int:
    """Delete refresh tokens past their expiry (spent or not: nothing can use them any more).
    Revoked tokens that have not expired stay, so that a replay is still recognised."""
    deleted = (
        await RefreshToken.delete()
        .where(RefreshToken.expires_at < _now())
        .returning(RefreshToken.id)
    )
    return len(deleted)
