"""The baseline of bench/bench_feeds.py: the feeds' bytes served from memory by a bare Litestar
handler under uvicorn, as its own process like the API, with nothing else (no Redis, no
database, no middleware, no hooks): what HTTP and a Python process cost on their own.

    BARE_FEEDS_MANIFEST=feeds.json uvicorn --app-dir bench bare_feeds:app --port 8001

The manifest (written by the bench from what the API answered) names, for each feed path, its
ETag's opaque part and, for each encoding ("gzip", "identity"), the file of the body and the
headers of the 200 and of the 304. Each process loads them at import. The handlers answer the
same bytes with the same headers, and a 304 for an If-None-Match that names the current tag (a
`W/` prefix and `*` as RFC 9110 says), as the API does. Not part of the platform: only the
bench starts it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.exceptions import NotFoundException


@dataclass(frozen=True, slots=True)
class Variant:
    body: bytes
    headers: dict[str, str]
    not_modified_headers: dict[str, str]
    etag: str


def _load(manifest: Path) -> dict[str, dict[str, Variant]]:
    feeds: dict[str, dict[str, Variant]] = {}
    for path, feed in json.loads(manifest.read_text()).items():
        feeds[path] = {
            encoding: Variant(
                body=Path(variant["body"]).read_bytes(),
                headers=variant["headers"],
                not_modified_headers=variant["not_modified_headers"],
                etag=variant["etag"],
            )
            for encoding, variant in feed.items()
        }
    return feeds


FEEDS = _load(Path(os.environ["BARE_FEEDS_MANIFEST"]))


def _names_current(if_none_match: str, etag: str) -> bool:
    for item in if_none_match.split(","):
        tag = item.strip()
        if tag == "*" or tag.removeprefix("W/") == f'"{etag}"':
            return True
    return False


def _answer(request: Request[Any, Any, Any], path: str) -> Response[bytes]:
    feed = FEEDS.get(path)
    if feed is None:
        raise NotFoundException
    encoding = "gzip" if "gzip" in request.headers.get("accept-encoding", "") else "identity"
    variant = feed[encoding]
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and _names_current(if_none_match, variant.etag):
        return Response(b"", status_code=304, headers=variant.not_modified_headers)
    return Response(variant.body, media_type="text/calendar", headers=variant.headers)


@get("/feeds/events.ics")
async def public_feed(request: Request[Any, Any, Any]) -> Response[bytes]:
    return _answer(request, "/feeds/events.ics")


@get("/feeds/private/{file:str}")
async def private_feed(request: Request[Any, Any, Any], file: str) -> Response[bytes]:
    return _answer(request, f"/feeds/private/{file}")


app = Litestar([public_feed, private_feed])
