"""Query parameters that name an instant: RFC 3339 date-times with their offset, nothing else.

Litestar's own datetime parameters also take a naive time (which means different instants to
different readers) and a bare number (read as Unix seconds), neither of which the schema's
`format: date-time` allows. So such a parameter is read as text with the RFC 3339 grammar as
its pattern (documented as `format: date-time` too), and turned into an aware datetime here; a
date that does not exist (31 April) is the same 400 as any malformed parameter.
"""

from __future__ import annotations

from datetime import datetime

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

#: RFC 3339 `date-time` (section 5.6), with the offset required; no year 0000 (Python's years
#: start at 1) and no leap second
RFC3339_PATTERN = (
    r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
    r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]"
    r":[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
#: the longest text the pattern admits: date, T, time, nine fraction digits, an offset
_MAX_LENGTH = len("2026-01-01T00:00:00.123456789+05:00")


def instant_parameter(name: str, description: str) -> QueryParameter:
    """For `Annotated[str | None, instant_parameter("from", "…")]`: an instant query parameter
    named `name` in the URL; `parse_instant` reads its value."""
    return QueryParameter(
        name=name,
        min_length=len("2026-01-01T00:00:00Z"),
        max_length=_MAX_LENGTH,
        pattern=RFC3339_PATTERN,
        schema_extra={"format": "date-time"},
        description=description,
    )


def parse_instant(name: str, text: str | None) -> datetime | None:
    """The aware datetime that `text` (already matched by the pattern) names; a 400 naming the
    parameter when the date does not exist."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        raise ValidationException(
            detail="Invalid query parameter",
            extra=[{"source": "query", "key": name, "message": "Not an existing date and time"}],
        ) from None


__all__ = ["RFC3339_PATTERN", "instant_parameter", "parse_instant"]
