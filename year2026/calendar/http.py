"""The HTTP of a feed: `text/calendar`, a strong ETag and Last-Modified, 304 for a client that
has the current bytes, gzip when asked (written once, with its own ETag), HEAD, and the caching
a public or private feed may have."""

from __future__ import annotations

import email.utils
from typing import Any

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

from year2026.calendar.store import StoredFeed

#: Litestar adds "; charset=utf-8" to a text type
MEDIA_TYPE = "text/calendar"
GZIP_SUFFIX = "-gzip"
#: what a feed's route declares: its media type and its 304
FEED_MEDIA_TYPE = MEDIA_TYPE
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


def _not_modified(request: Request[Any, Any, Any], feed: StoredFeed) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return tags is None or bool(tags & {feed.etag, feed.etag + GZIP_SUFFIX})
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return feed.modified <= since.timestamp()
    return False


def feed_response(
    request: Request[Any, Any, Any],
    feed: StoredFeed,
    *,
    private: bool,
    max_age: int,
    filename: str,
    varies_by_language: bool,
) -> Response[bytes]:
    gzipped = _accepts_gzip(request.headers.get("accept-encoding", ""))
    vary = ["Accept-Encoding", *(["Accept-Language"] if varies_by_language else [])]
    headers = {
        "ETag": f'"{feed.etag}{GZIP_SUFFIX if gzipped else ""}"',
        "Last-Modified": email.utils.formatdate(feed.modified, usegmt=True),
        "Cache-Control": f"{'private' if private else 'public'}, max-age={max_age}",
        "Vary": ", ".join(vary),
    }
    if _not_modified(request, feed):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    body = feed.gzipped if gzipped else feed.body
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        body = b""
    return Response(body, status_code=HTTP_200_OK, media_type=MEDIA_TYPE, headers=headers)
