"""Answering a feed request the app has already answered, from the process's trusted copy,
without the route's parsing, hooks and handler: calendar apps poll the same addresses again and
again, mostly to be told 304.

App middleware, inside `RequestContextMiddleware` (so it has its request id and access line) and
inside Litestar's `before_send` (so it gets the same response headers). It learns a request from
the app's own answer: when a feed's route answered (path, query, and Accept-Language when the
feed follows it), it remembers which feed that was; the same request again is answered from the
store's copy of that feed, as long as the store trusts that copy (it follows the announced
changes, see `store.py`). Anything else, or a copy not trusted, goes through the app as usual.
So the route's validation and rules still decide every request that differs in any way.
"""

from __future__ import annotations

import collections
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Receive, Scope, Send

from year2026.calendar.http import FEED_STATE, FeedTerms, answer
from year2026.calendar.store import FeedStore

#: requests remembered per process (least recently used first out)
MAX_REQUESTS = 100_000
_Request = tuple[str, bytes, str | None]


class FeedFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.known: collections.OrderedDict[_Request, tuple[str, FeedTerms]] = (
            collections.OrderedDict()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != ScopeType.HTTP
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith("/feeds/")
        ):
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        path, query = scope["path"], scope["query_string"]
        known = self.known.get((path, query, None)) or self.known.get(
            (path, query, headers.get("accept-language"))
        )
        store: FeedStore | None = scope["app"].state.get("feed_store")
        if known is not None and store is not None:
            feed = store.trusted_copy(known[0])
            if feed is not None:
                await _send(send, *answer(scope["method"], headers, feed, known[1]))
                return
        await self.app(scope, receive, send)
        learned: Any = scope.get("state", {}).get(FEED_STATE)
        if learned is not None:
            key, terms = learned
            language = headers.get("accept-language") if terms.varies_by_language else None
            self.known[(path, query, language)] = (key, terms)
            if len(self.known) > MAX_REQUESTS:
                self.known.popitem(last=False)


async def _send(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [(name.encode(), value.encode()) for name, value in headers.items()],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
