"""The HTTP of a feed: `text/calendar`, a strong ETag and Last-Modified, 304 for a client that
has the current bytes, gzip when asked (written once, with its own ETag), HEAD, and the caching
a public or private feed may have."""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

from year2026.calendar.store import StoredFeed

#: Litestar adds "; charset=utf-8" to a text type
MEDIA_TYPE = "text/calendar"
CONTENT_TYPE = "text/calendar; charset=utf-8"
GZIP_SUFFIX = "-gzip"
#: what a feed's route declares besides its media type: its 304
FEED_RESPONSES = {
    304: ResponseSpec(
        data_container=None,
        description="Not modified: the If-None-Match or If-Modified-Since of the request names"
        " the current feed.",
    )
}


def _tags(header: str) -> set[str] | None:
    """The opaque tags of If-None-Match (weak ones too: it compares weakly); None for `*`."""
    tags = set()
    for item in header.split(","):
        tag = item.strip()
        if tag == "*":
            return None
        tag = tag.removeprefix("W/")
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            tags.add(tag[1:-1])
    return tags


def _accepts_gzip(header: str) -> bool:
    for item in header.lower().split(","):
        coding, _, parameters = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip"):
            quality = parameters.strip().removeprefix("q=")
            try:
                return parameters.strip() == "" or float(quality) > 0
            except ValueError:
                return False
    return False


def _not_modified(headers: Mapping[str, str], feed: StoredFeed) -> bool:
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return tags is None or bool(tags & {feed.etag, feed.etag + GZIP_SUFFIX})
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return feed.modified <= since.timestamp()
    return False


@dataclass(frozen=True, slots=True)
class FeedTerms:
    """How a feed's route answers it, whatever its bytes are now."""

    private: bool
    max_age: int
    filename: str
    #: its texts follow Accept-Language (no `lang` in the query)
    varies_by_language: bool


#: where a feed's route leaves (key, terms) for `fast_path` to learn the request from
FEED_STATE = "year2026.feed"


def answer(
    method: str, headers: Mapping[str, str], feed: StoredFeed, terms: FeedTerms
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the answer to a GET or HEAD (`headers`: the request's, by
    lower-case name): the one place both the route and the fast path answer from."""
    gzipped = _accepts_gzip(headers.get("accept-encoding", ""))
    vary = ["Accept-Encoding", *(["Accept-Language"] if terms.varies_by_language else [])]
    answered = {
        "etag": f'"{feed.etag}{GZIP_SUFFIX if gzipped else ""}"',
        "last-modified": email.utils.formatdate(feed.modified, usegmt=True),
        "cache-control": f"{'private' if terms.private else 'public'}, max-age={terms.max_age}",
        "vary": ", ".join(vary),
    }
    if _not_modified(headers, feed):
        return HTTP_304_NOT_MODIFIED, answered, b""
    body = feed.gzipped if gzipped else feed.body
    answered["content-type"] = CONTENT_TYPE
    answered["content-disposition"] = f'inline; filename="{terms.filename}"'
    if gzipped:
        answered["content-encoding"] = "gzip"
    answered["content-length"] = str(len(body))
    return HTTP_200_OK, answered, b"" if method == "HEAD" else body


def feed_response(
    request: Request[Any, Any, Any], feed: StoredFeed, terms: FeedTerms
) -> Response[bytes]:
    request.scope.setdefault("state", {})[FEED_STATE] = (feed.key, terms)
    status, headers, body = answer(request.method, request.headers, feed, terms)
    headers.pop("content-type", None)  # Litestar writes it from the media type
    if request.method != "HEAD":
        headers.pop("content-length", None)  # and the length from the body
    media_type = MEDIA_TYPE if status == HTTP_200_OK else None
    return Response(body, status_code=status, media_type=media_type, headers=headers)
