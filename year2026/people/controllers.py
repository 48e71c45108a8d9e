"""HTTP for sign-in and a person's own data: parse, call one service, return a record."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from year2026.auth.errors import InvalidAccessToken
from year2026.auth.guards import Principal, requires_signed_in
from year2026.client import client_address, user_agent
from year2026.i18n import Language
from year2026.patching import present_fields
from year2026.people import accounts, sessions, signin
from year2026.people.enums import region_entries
from year2026.people.errors import (
    EmailTaken,
    InvalidCredentials,
    LastAdmin,
    PersonNotFound,
    SessionEnded,
    WeakPassword,
)
from year2026.people.records import Profile, RegionEntry, SessionInfo, TokenPair
from year2026.people.schemas import Jwks, ProfileUpdate, RefreshRequest, SignIn, SignUp
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
            address=client_address(request, state.settings),
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
            address=client_address(request, state.settings),
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
            address=client_address(request, state.settings),
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
        await sessions.end_all_sessions(state.token_issuer, state.redis, principal.person_id)


class MeController(Controller):
    path = "/me"
    tags = ["me"]  # noqa: RUF012

    @get(
        "/",
        guards=[requires_signed_in],
        summary="My profile, roles and organizations",
        opt={"errors": [PersonNotFound]},
    )
    async def show(self, principal: NamedDependency[Principal]) -> Profile:
        return await accounts.profile(principal.person_id)

    @patch(
        "/",
        guards=[requires_signed_in],
        summary="Change my profile",
        opt={"errors": [PersonNotFound]},
    )
    async def update(
        self, principal: NamedDependency[Principal], data: JSONBody[ProfileUpdate]
    ) -> Profile:
        return await accounts.update_profile(principal.person_id, present_fields(data))

    @get("/sessions", guards=[requires_signed_in], summary="My live sign-in sessions")
    async def list_sessions(self, principal: NamedDependency[Principal]) -> list[SessionInfo]:
        return await sessions.list_sessions(principal.person_id)

    @get(
        "/export",
        guards=[requires_signed_in],
        summary="Everything held about me, as JSON",
        opt={"errors": [PersonNotFound]},
    )
    async def export(self, principal: NamedDependency[Principal]) -> dict[str, Any]:
        return await accounts.export_person(principal.person_id)

    @delete(
        "/",
        guards=[requires_signed_in],
        summary="Erase my personal data and end all my sessions",
        opt={"errors": [PersonNotFound, LastAdmin]},
    )
    async def erase(self, state: State, principal: NamedDependency[Principal]) -> None:
        await signin.forget_person(state.token_issuer, state.redis, principal.person_id)


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


class RegionsController(Controller):
    tags = ["reference"]  # noqa: RUF012

    @get(
        "/regions",
        summary="Kazakhstan's regions and cities, with names in kk/ru/en",
        cache_control=public_cache(3600),
    )
    async def regions(self) -> list[RegionEntry]:
        return [
            RegionEntry(
                code=region,
                is_city=is_city,
                name_kk=names[Language.KK],
                name_ru=names[Language.RU],
                name_en=names[Language.EN],
            )
            for region, is_city, names in region_entries()
        ]
