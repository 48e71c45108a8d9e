"""The kinds of text the API takes, as msgspec types both domains' bodies use: slugs, one-line
texts, paragraphs and web addresses, bounded so that the largest valid body fits the body limit
and written so that every regex engine reading the schema means the same."""

from __future__ import annotations

from typing import Annotated

import msgspec

#: `gitex-central-asia-2026`: lower-case letters, digits and single hyphens
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: a web address people can open: http(s) only (no javascript:, data:, file:…), in the ASCII of
#: RFC 3986 (international names as xn--, other characters percent-encoded), or empty
HTTP_URL_PATTERN = (
    r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*)?)?$"
)
#: one line of text, or none: no control characters (PostgreSQL cannot store NUL either)
LINE_TEXT = r"^[^\x00-\x1f\x7f]*$"
#: paragraphs: anything but NUL
FREE_TEXT = r"^[^\x00]*$"

Slug = Annotated[str, msgspec.Meta(pattern=SLUG_PATTERN, min_length=3, max_length=120)]
Title = Annotated[str, msgspec.Meta(pattern=LINE_TEXT, max_length=300)]
Summary = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=1000)]
Description = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=20000)]
VenueName = Annotated[str, msgspec.Meta(pattern=LINE_TEXT, max_length=300)]
Address = Annotated[str, msgspec.Meta(pattern=LINE_TEXT, max_length=500)]
Link = Annotated[str, msgspec.Meta(pattern=HTTP_URL_PATTERN, max_length=500)]
ZoneName = Annotated[str, msgspec.Meta(pattern=LINE_TEXT, min_length=1, max_length=64)]
#: an RFC 5545 RRULE value (checked by `year2026.recurrence`)
RuleText = Annotated[str, msgspec.Meta(pattern=LINE_TEXT, max_length=500)]
