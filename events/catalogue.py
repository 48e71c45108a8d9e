"""The public side of the calendar: the listing and an event's page, in the reader's language.

Anyone may read published, postponed and cancelled events; a draft exists only for its
organization's members and admins (for anyone else it is not found, not forbidden).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from events import access, programme_queries, queries
from events.enums import EventStatus
from events.errors import DraftsNotVisible
from events.queries import EventFilters
from events.schemas import (
    EventDetail,
    EventListItem,
    EventPage,
    EventSummary,
    Seats,
    UpcomingOccurrence,
)
from year2026.calendar.schemas import feed_links
from year2026.i18n import Language, localized


def _summary_fields(row: Mapping[str, Any], language: Language) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "organization_id": row["organization"],
        "status": EventStatus(row["status"]),
        "title": localized(row, "title", language),
        "summary": localized(row, "summary", language),
        "category": row["category"],
        "tags": list(row["tags"]),
        "format": row["format"],
        "region": row["region"],
        "venue_name": localized(row, "venue_name", language),
        "time_zone": row["time_zone"],
        "all_day": row["all_day"],
        "recurring": bool(row["rrule"]) if "rrule" in row else bool(row["recurring"]),
        "date_to_be_announced": row["date_to_be_announced"],
        "cover_image_url": row["cover_image_url"],
        "sequence": row["sequence"],
        "updated_at": row["updated_at"],
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def list_events(
    filters: EventFilters,
    language: Language,
    *,
    by_relevance: bool = False,
    cursor: str | None = None,
    limit: int = 50,
    viewer_id: uuid.UUID | None = None,
) -> EventPage:
    """Public occurrences in start order (or by relevance to `q`), one keyset page. With
    `filters.with_drafts`, an organization's drafts too: only for its members and admins."""
    if filters.with_drafts and (
        filters.organization_id is None
        or not await access.may_see_drafts_of(viewer_id, filters.organization_id)
    ):
        raise DraftsNotVisible
    keyset = queries.keyset_of(filters, by_relevance)
    statement = queries.listing_query(
        filters, by_relevance=by_relevance, cursor=cursor, limit=limit, now=_now()
    )
    page = keyset.page(await queries.listing_rows(statement), limit)
    items = []
    for row in page.rows:
        zone = ZoneInfo(row["time_zone"])
        items.append(
            EventListItem(
                occurrence_id=row["occurrence_id"],
                original_start=row["original_start"].astimezone(zone),
                starts_at=row["starts_at"].astimezone(zone),
                ends_at=row["ends_at"].astimezone(zone),
                cancelled=row["cancelled"],
                event=EventSummary(**_summary_fields(row, language)),
            )
        )
    return EventPage(items=items, next_cursor=page.next_cursor)


def _seats(item: Mapping[str, Any], zone: ZoneInfo, now: dt.datetime) -> Seats | None:
    if item["closes_at"] is None:  # no pool (not yet made for this occurrence)
        return None
    capacity = item["capacity"]
    left = None if capacity is None else capacity - item["taken"]
    opens_at = item["opens_at"]
    taking = (
        item["pool_open"]
        and (opens_at is None or opens_at <= now)
        and now < item["closes_at"]
        and (left is None or left > 0 or item["waitlist"])
    )
    return Seats(
        capacity=capacity,
        left=left,
        waitlisted=item["waitlisted"],
        open=taking,
        waitlist=item["waitlist"],
        opens_at=None if opens_at is None else opens_at.astimezone(zone),
        closes_at=item["closes_at"].astimezone(zone),
    )


async def view_event(
    reference: str, viewer_id: uuid.UUID | None, language: Language, public_url: str
) -> EventDetail:
    """An event's page: everything public about it, its coming occurrences, and its calendar's
    links (at `public_url`)."""
    row = await access.visible_event(reference, viewer_id)
    zone = ZoneInfo(row["time_zone"])
    now = _now()
    coming = await queries.coming_occurrences(row["id"], now)
    return EventDetail(
        **_summary_fields(row, language),
        description=localized(row, "description", language),
        venue_address=localized(row, "venue_address", language),
        status_reason=localized(row, "status_reason", language),
        latitude=row["latitude"],
        longitude=row["longitude"],
        online_url=row["online_url"],
        website=row["website"],
        starts_at=row["starts_at"].astimezone(zone),
        ends_at=row["ends_at"].astimezone(zone),
        start_date=row["start_date"],
        end_date=row["end_date"],
        rrule=row["rrule"],
        exdates=[moment.astimezone(zone) for moment in row["exdates"]],
        upcoming=[
            UpcomingOccurrence(
                id=item["id"],
                original_start=item["original_start"].astimezone(zone),
                starts_at=item["starts_at"].astimezone(zone),
                ends_at=item["ends_at"].astimezone(zone),
                cancelled=item["cancelled"] or row["status"] == EventStatus.CANCELLED.value,
                sequence=item["sequence"],
                seats=_seats(item, zone, now),
            )
            for item in coming
        ],
        programme=await programme_queries.programme_of(row, language),
        calendar=feed_links(public_url, f"/feeds/events/{row['slug']}.ics"),
        created_at=row["created_at"],
        published_at=row["published_at"],
    )
