"""Who may see and change an event: the one place the calendar asks.

Members of the event's organization and admins may change it (asked of the database, never only
of the token). A draft exists only for them: anyone else is told it is not found, not that it is
forbidden. Changes lock the event's row first, so that concurrent changes to an event and to its
programme are ordered the same way everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from piccolo.querystring import QueryString

from events.enums import PUBLIC_STATUSES, EventStatus
from events.errors import EventNotFound
from events.tables import Event
from year2026 import db
from year2026.people import organizations
from year2026.people.errors import NotAMember

#: the table's own columns (not the generated search vector)
EVENT_COLUMNS = ", ".join(column._meta.db_column_name for column in Event._meta.columns)


def reference_clause(reference: str, alias: str = "") -> tuple[str, uuid.UUID | str]:
    """The SQL condition "the event named by its id or its slug", with its value."""
    return db.id_or_slug_clause(reference, alias)


def reference_condition(reference: str, alias: str = "") -> QueryString:
    """`reference_clause` as a Piccolo query string."""
    return QueryString(*reference_clause(reference, alias))


async def event_row(reference: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The event named by id or slug, whatever its status; `lock` holds it for a change.

    The lock is FOR NO KEY UPDATE, not FOR UPDATE: a change never touches the event's key, and a
    registration's foreign key takes FOR KEY SHARE on the event while its transaction holds the
    seat pool's row, so FOR UPDATE here would deadlock an event change that then syncs the pools
    (`events.seating`) against a registration in flight."""
    rows = await Event.raw(
        f"SELECT {EVENT_COLUMNS} FROM event WHERE {{}}{' FOR NO KEY UPDATE' if lock else ''}",  # noqa: S608
        reference_condition(reference),
    )
    return dict(rows[0]) if rows else None


async def may_see_drafts_of(viewer_id: uuid.UUID | None, organization_id: uuid.UUID) -> bool:
    return await organizations.is_member_or_admin(viewer_id, organization_id)


async def visible_event(reference: str, viewer_id: uuid.UUID | None) -> dict[str, Any]:
    """The event, if the viewer may see it (anyone a public one; a draft its organizers)."""
    row = await event_row(reference)
    if row is None:
        raise EventNotFound
    if EventStatus(row["status"]) not in PUBLIC_STATUSES and not await may_see_drafts_of(
        viewer_id, row["organization"]
    ):
        raise EventNotFound
    return row


async def require_organizer_of(actor_id: uuid.UUID, row: Mapping[str, Any]) -> None:
    try:
        await organizations.require_member_or_admin(actor_id, row["organization"])
    except NotAMember:
        if EventStatus(row["status"]) not in PUBLIC_STATUSES:
            raise EventNotFound from None
        raise


async def event_for_change(actor_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The event, locked for the rest of the transaction, if the actor may change it."""
    row = await event_row(reference, lock=True)
    if row is None:
        raise EventNotFound
    await require_organizer_of(actor_id, row)
    return row
