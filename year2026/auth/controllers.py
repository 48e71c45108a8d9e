"""HTTP for signing in with a password (OpenID Connect is beside it, in `oidc_controller`),
sessions and the keys that verify our tokens: parse, call one service, return a record."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from year2026.auth import sessions, signin
from year2026.auth.errors import InvalidAccessToken
from year2026.client import rate_limited_client, user_agent
from year2026.guards import Principal, requires_signed_in
from year2026.people import controllers as people_controllers
from year2026.people.errors import (
    EmailTaken,
    InvalidCredentials,
    LastAdmin,
    PersonNotFound,
    SessionEnded,
    WeakPassword,
)
from year2026.people.records import SessionInfo, TokenPair
from year2026.people.schemas import Jwks, RefreshRequest, SignIn, SignUp
from year2026.ratelimit import RateLimited
from year2026.response_headers import public_cache


class AuthController(Controller):
    path = "/auth"
    tags = ["sign-in"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post(
        "/sign-up",
        summary="Create an account with email and password, and sign in",
        opt={"errors": [EmailTaken, WeakPassword, RateLimited]},
    )
    async def sign_up(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[SignUp]
    ) -> TokenPair:
        _, pair = await signin.sign_up(
            state.token_issuer,
            state.redis,
            email=data.email,
            password=data.password,
            display_name=data.display_name,
            preferred_language=data.preferred_language,
            region=data.region,
            address=rate_limited_client(request, state.settings),
            user_agent=user_agent(request),
        )
        return pair

    @post(
        "/sign-in",
        summary="Sign in with email and password",
        status_code=HTTP_200_OK,
        opt={"errors": [InvalidCredentials, RateLimited]},
    )
    async def sign_in(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[SignIn]
    ) -> TokenPair:
        return await signin.sign_in(
            state.token_issuer,
            state.redis,
            email=data.email,
            password=data.password,
            address=rate_limited_client(request, state.settings),
            user_agent=user_agent(request),
        )

    @post(
        "/refresh",
        summary="Trade a refresh token for a new pair (the old one is spent)",
        status_code=HTTP_200_OK,
        opt={"errors": [SessionEnded, RateLimited]},
    )
    async def refresh(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[RefreshRequest]
    ) -> TokenPair:
        return await signin.refresh(
            state.token_issuer,
            state.redis,
            refresh_token=data.refresh_token,
            address=rate_limited_client(request, state.settings),
            user_agent=user_agent(request),
        )

    @post("/sign-out", summary="End the session of this refresh token", status_code=204)
    async def sign_out(self, data: JSONBody[RefreshRequest]) -> None:
        await sessions.end_session(data.refresh_token)

    @post(
        "/sign-out-everywhere",
        summary="End every session of the signed-in person, access tokens included",
        status_code=HTTP_204_NO_CONTENT,
        guards=[requires_signed_in],
        opt={"errors": [InvalidAccessToken]},
    )
    async def sign_out_everywhere(
        self, state: State, principal: NamedDependency[Principal]
    ) -> None:
        await sessions.end_all_sessions(state.redis, principal.person_id)


class MeController(people_controllers.MeController):
    """`/me`: the person's data (from `year2026.people.controllers`) plus the parts that are
    about sign-in, the live sessions and erasure, which ends them all. One controller, because
    Litestar 2 registers one handler per path and method, OPTIONS included."""

    @get("/sessions", guards=[requires_signed_in], summary="My live sign-in sessions")
    async def list_sessions(self, principal: NamedDependency[Principal]) -> list[SessionInfo]:
        return await sessions.list_sessions(principal.person_id)

    @delete(
        "/",
        guards=[requires_signed_in],
        summary="Erase my personal data and end all my sessions",
        opt={"errors": [PersonNotFound, LastAdmin]},
    )
    async def erase(self, state: State, principal: NamedDependency[Principal]) -> None:
        await signin.forget_person(
            state.token_issuer, state.redis, principal.person_id, state.personal_data
        )


class JwksController(Controller):
    tags = ["sign-in"]  # noqa: RUF012

    @get(
        "/.well-known/jwks.json",
        summary="Public keys that verify our access tokens",
        # short: a key rotated in signs at once, and verifiers must see it soon
        cache_control=public_cache(60),
    )
    async def jwks(self, state: State) -> Jwks:
        return Jwks(keys=state.token_issuer.keys.public_jwks()["keys"])
