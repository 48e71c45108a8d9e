"""Who is calling: the bearer token read once per request, guards per role, and the `principal`
dependency for handlers. Guards are a fast first check; services check ownership themselves."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from year2026.auth import revocation
from year2026.auth.errors import InvalidAccessToken
from year2026.auth.sessions import TokenIssuer
from year2026.exceptions import NotAuthenticated
from year2026.people.enums import Role
from year2026.people.errors import RoleRequired

_PRINCIPAL_KEY = "year2026.principal"
_ROLE_NAMES = frozenset(role.value for role in Role)


@dataclass(frozen=True)
class Principal:
    person_id: uuid.UUID
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        return role in self.roles


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller named by `Authorization: Bearer …`, or None when there is no such header.
    A header that is present but not valid is an error, never silently anonymous."""
    state = connection.scope.setdefault("state", {})
    if _PRINCIPAL_KEY in state:
        cached: Principal | None = state[_PRINCIPAL_KEY]
        return cached
    header = connection.headers.get("authorization")
    principal = None
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidAccessToken("malformed")
        issuer: TokenIssuer = connection.app.state.token_issuer
        claims = issuer.verify(token.strip(), dt.datetime.now(dt.UTC))
        if await revocation.is_revoked(
            connection.app.state.redis, claims.person_id, claims.generation
        ):
            raise InvalidAccessToken("revoked")
        principal = Principal(
            person_id=claims.person_id,
            # a role this version does not know (a newer token) grants nothing here
            roles=frozenset(Role(role) for role in claims.roles if role in _ROLE_NAMES),
        )
    state[_PRINCIPAL_KEY] = principal
    return principal


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """Dependency: the signed-in caller (401 when nobody is signed in)."""
    principal = await authenticate(request)
    if principal is None:
        raise NotAuthenticated
    return principal


async def requires_signed_in(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    if await authenticate(connection) is None:
        raise NotAuthenticated


def _requires(role: Role) -> Any:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await authenticate(connection)
        if principal is None:
            raise NotAuthenticated
        if not principal.has(role):
            raise RoleRequired(role=role.value)

    guard.__name__ = f"requires_{role.value}"
    return guard


requires_organizer = _requires(Role.ORGANIZER)
requires_staff = _requires(Role.STAFF)
requires_admin = _requires(Role.ADMIN)
