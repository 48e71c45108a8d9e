"""HTTP for OpenID Connect sign-in: a redirect to the provider, and the provider's callback."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import Cookie
from litestar.params import CookieParameter, QueryParameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_302_FOUND

from year2026.auth import oidc
from year2026.auth.errors import (
    OidcDisabled,
    OidcProviderRefused,
    OidcProviderUnavailable,
    OidcStateInvalid,
    OidcTokenInvalid,
)
from year2026.client import rate_limited_client, user_agent
from year2026.people.errors import EmailTaken
from year2026.people.records import TokenPair
from year2026.ratelimit import RateLimited
from year2026.settings import Settings

#: holds the browser-binding secret between /start and /callback
BINDING_COOKIE = "year2026_oidc"
_COOKIE_PATH = "/auth/oidc"


def _binding_cookie(settings: Settings, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=BINDING_COOKIE,
        value=value,
        path=_COOKIE_PATH,
        max_age=max_age,
        httponly=True,
        # Lax still comes along on the provider's top-level redirect back to the callback
        samesite="lax",
        secure=settings.effective_public_url.startswith("https://"),
    )


class OidcController(Controller):
    path = "/auth/oidc"
    tags = ["sign-in"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get(
        "/start",
        summary="Begin sign-in with the OpenID provider: redirects the browser there",
        status_code=HTTP_302_FOUND,
        response_cookies=[
            Cookie(
                key=BINDING_COOKIE,
                path=_COOKIE_PATH,
                httponly=True,
                description="Binds the sign-in to this browser until the callback",
                documentation_only=True,
            )
        ],
        opt={"errors": [OidcDisabled, OidcProviderUnavailable, RateLimited]},
    )
    async def start(self, request: Request[Any, Any, Any]) -> Redirect:
        settings: Settings = request.app.state.settings
        url, binding = await oidc.begin_sign_in(
            settings, request.app.state.redis, address=rate_limited_client(request, settings)
        )
        cookie = _binding_cookie(settings, binding, oidc.STATE_TTL_SECONDS)
        return Redirect(url, status_code=HTTP_302_FOUND, cookies=[cookie])

    @get(
        "/callback",
        summary="Finish sign-in: the provider sends the browser here with a code",
        opt={
            "errors": [
                OidcDisabled,
                OidcStateInvalid,
                OidcProviderRefused,
                OidcTokenInvalid,
                OidcProviderUnavailable,
                EmailTaken,  # only when a concurrent sign-up takes the verified email first
            ],
            # providers add their own parameters (RFC 9207 `iss`, `session_state`, …)
            "open_query": True,
        },
        # anonymous: the 401s here are failed sign-ins, not a missing bearer token
        security=[{}],
    )
    async def callback(
        self,
        request: Request[Any, Any, Any],
        # `state` is Litestar's name for the app state, hence another name for the parameter
        oauth_state: Annotated[str, QueryParameter(name="state", min_length=1, max_length=256)],
        code: Annotated[str | None, QueryParameter(max_length=2048)] = None,
        error: Annotated[str | None, QueryParameter(max_length=256)] = None,
        binding: Annotated[str | None, CookieParameter(name=BINDING_COOKIE, max_length=256)] = None,
    ) -> Response[TokenPair]:
        settings: Settings = request.app.state.settings
        pair = await oidc.finish_sign_in(
            settings,
            request.app.state.redis,
            request.app.state.token_issuer,
            state=oauth_state,
            code=code,
            binding=binding,
            user_agent=user_agent(request),
            error=error,
        )
        return Response(pair, cookies=[_binding_cookie(settings, "", max_age=0)])
