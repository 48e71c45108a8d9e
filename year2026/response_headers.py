"""Headers on every response: personal data is never stored by a cache unless a handler says its
answer is public, and browsers get the protections an API wants.

They are added by a `before_send` hook, which sees every response the app sends: handlers',
problem responses, and the answers to unmatched routes that app middleware never sees. A
response that sets a header itself (a public `Cache-Control`, the schema page's own CSP) keeps it.

Litestar's `cache=` option is refused (see `ResponseCacheRefused`): it is a server-side store of
whole responses, not a header, and unsafe for an API like ours.
"""

from __future__ import annotations

from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ImproperlyConfiguredException
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.types import Message, Scope

from year2026.settings import Settings

#: JSON is never a document to run or frame
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
#: one year; sent only when the public address is https
HSTS_SECONDS = 365 * 24 * 3600


def public_cache(seconds: int) -> CacheControlHeader:
    """For a handler whose answer is the same for everyone and may be kept by any cache:
    `@get(..., cache_control=public_cache(300))`. Everything else is `no-store`."""
    return CacheControlHeader(public=True, max_age=seconds)


class ResponseHeaders:
    """The `before_send` hook that completes the headers of every HTTP response."""

    def __init__(self, settings: Settings) -> None:
        self._defaults: list[tuple[str, str]] = [
            # RFC 6749 §5.1: responses with tokens or personal data are never stored
            ("cache-control", "no-store"),
            ("pragma", "no-cache"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
            ("content-security-policy", API_CONTENT_SECURITY_POLICY),
        ]
        if settings.effective_public_url.startswith("https://"):
            self._defaults.append(("strict-transport-security", f"max-age={HSTS_SECONDS}"))

        self._encoded = [(name.encode(), value.encode()) for name, value in self._defaults]

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        # raw header pairs, not MutableScopeHeaders: this runs for every response
        headers = list(message.get("headers", ()))
        message["headers"] = headers
        present = {bytes(name).lower() for name, _ in headers}
        has_own_cache_control = b"cache-control" in present
        for name, value in self._encoded:
            if name == b"pragma" and has_own_cache_control:
                continue  # a handler that chose its caching chose this too
            if name not in present:
                headers.append((name, value))


class ResponseCacheRefused(ReceiveRoutePlugin):
    """Refuses Litestar's `cache=` on any handler, at start-up.

    It stores a handler's whole first response, keyed on the method, path and query only, and
    replays it to whoever asks next: on a personal operation it would hand one person's data (and
    Set-Cookie) to another, since the key ignores `Authorization`, and even on a public one it
    replays the first caller's `X-Request-ID`. It sets no `Cache-Control` either. Declare HTTP
    caching with `cache_control=public_cache(seconds)`; work worth keeping server-side is cached
    by the service that does it.
    """

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.cache:
                raise ImproperlyConfiguredException(
                    f"{handler.handler_name} on {route.path}: `cache=` replays stored responses "
                    "to other callers; use `cache_control=public_cache(...)` for public answers"
                )
