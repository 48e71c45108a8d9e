"""Reads of the event calendar: the public listing of occurrences (one statement, keyset pages),
one event by id or slug, and its coming occurrences."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from piccolo.querystring import QueryString

from events.enums import PUBLIC_STATUSES, EventCategory, EventFormat
from events.tables import Occurrence
from year2026.db import all_of
from year2026.i18n import Language
from year2026.paging import KeyColumn, Keyset
from year2026.people.enums import Region

#: the public calendar in start order (then by occurrence, for ties)
BY_START = Keyset(
    "events",
    (KeyColumn("s.starts_at", dt.datetime), KeyColumn("s.occurrence_id", uuid.UUID)),
)
#: with a text query, best matches first (the rank scaled to an integer, negated so that the
#: whole key runs one way), then in start order
BY_RELEVANCE = Keyset(
    "events-by-relevance",
    (
        KeyColumn("s.neg_rank", int),
        KeyColumn("s.starts_at", dt.datetime),
        KeyColumn("s.occurrence_id", uuid.UUID),
    ),
)

_PUBLIC = ", ".join(f"'{status.value}'" for status in sorted(PUBLIC_STATUSES))
#: what a listing item shows of its event
SUMMARY_COLUMNS = (
    "e.id, e.slug, e.organization, e.status, e.title_kk, e.title_ru, e.title_en,"
    " e.summary_kk, e.summary_ru, e.summary_en, e.category, e.tags, e.format, e.region,"
    " e.venue_name_kk, e.venue_name_ru, e.venue_name_en, e.time_zone, e.all_day,"
    " e.rrule <> '' AS recurring, e.date_to_be_announced, e.cover_image_url, e.sequence,"
    " e.updated_at"
)
#: the three configurations the search vector was built with (see migrations/events)
_TEXT_QUERY = (
    "(websearch_to_tsquery('simple', {}) || websearch_to_tsquery('russian', {})"
    " || websearch_to_tsquery('english', {}))"
)


@dataclass(frozen=True)
class EventFilters:
    """What the public listing is narrowed to; `starts_from` defaults to now (what has not
    ended yet)."""

    starts_from: dt.datetime | None = None
    until: dt.datetime | None = None
    category: EventCategory | None = None
    region: Region | None = None
    format: EventFormat | None = None
    organization_id: uuid.UUID | None = None
    tag: str | None = None
    language: Language | None = None
    q: str | None = None
    #: drafts too (the caller has checked that the reader may see this organization's drafts)
    with_drafts: bool = False


def _conditions(filters: EventFilters, now: dt.datetime) -> list[QueryString]:
    conditions = [
        QueryString("TRUE" if filters.with_drafts else f"e.status IN ({_PUBLIC})"),
        QueryString("o.ends_at > {}", filters.starts_from or now),
    ]
    if filters.until is not None:
        conditions.append(QueryString("o.starts_at < {}", filters.until))
    if filters.category is not None:
        conditions.append(QueryString("e.category = {}", filters.category.value))
    if filters.region is not None:
        conditions.append(QueryString("e.region = {}", filters.region.value))
    if filters.format is not None:
        conditions.append(QueryString("e.format = {}", filters.format.value))
    if filters.organization_id is not None:
        conditions.append(QueryString("e.organization = {}", filters.organization_id))
    if filters.tag is not None:
        conditions.append(QueryString("e.tags @> ARRAY[{}]::varchar[]", filters.tag.lower()))
    if filters.language is not None:
        conditions.append(QueryString(f"e.title_{filters.language.value} <> ''"))
    if filters.q:
        conditions.append(QueryString(f"e.search @@ {_TEXT_QUERY}", *[filters.q] * 3))
    return conditions


#: one page of the listing: {rank} {conditions} {after the cursor} {order and limit}
_LISTING_SQL = (
    "SELECT * FROM (SELECT o.id AS occurrence_id, o.original_start, o.starts_at, o.ends_at,"  # noqa: S608
    f" o.cancelled OR e.status = 'cancelled' AS cancelled, {{}} AS neg_rank, {SUMMARY_COLUMNS}"
    " FROM event_occurrence o JOIN event e ON e.id = o.event WHERE {}) s WHERE {} {}"
)


def listing_query(
    filters: EventFilters, *, by_relevance: bool, cursor: str | None, limit: int, now: dt.datetime
) -> QueryString:
    """The one statement behind a page of the public listing."""
    keyset = BY_RELEVANCE if by_relevance and filters.q else BY_START
    rank = (
        QueryString(f"-(ts_rank(e.search, {_TEXT_QUERY}) * 1000000)::bigint", *[filters.q] * 3)
        if keyset is BY_RELEVANCE
        else QueryString("0::bigint")
    )
    return QueryString(
        _LISTING_SQL,
        rank,
        all_of(_conditions(filters, now)),
        keyset.after(cursor),
        keyset.order_and_limit(limit),
    )


def keyset_of(filters: EventFilters, by_relevance: bool) -> Keyset:
    return BY_RELEVANCE if by_relevance and filters.q else BY_START


async def listing_rows(query: QueryString) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Occurrence.raw("{}", query)
    return rows


async def coming_occurrences(
    event_id: uuid.UUID, now: dt.datetime, limit: int = 50
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Occurrence.raw(
        "SELECT o.id, o.original_start, o.starts_at, o.ends_at, o.cancelled, o.sequence,"
        " p.capacity, p.taken, p.waitlisted, p.waitlist, p.open AS pool_open, p.opens_at,"
        " p.closes_at FROM event_occurrence o LEFT JOIN seat_pool p ON p.id = o.id"
        " WHERE o.event = {} AND o.ends_at > {} ORDER BY o.starts_at, o.id LIMIT {}",
        event_id,
        now,
        limit,
    )
    return rows
