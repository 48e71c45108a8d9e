"""Reading the audit log: admins only, filtered, newest first, a keyset page at a time."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from piccolo.querystring import QueryString

from year2026.audit_tables import AuditEntry
from year2026.db import all_of
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.people.organizations import require_admin

#: how the API describes `before` and `after`: objects of whatever fields the change touched
_FIELDS_DESCRIPTION = (
    "The changed fields {}, a free-form JSON object: its fields and their types depend on"
    " `object_type` and `action`. Null when the object {}."
)
BeforeFields = Annotated[
    dict[str, Any] | None,
    msgspec.Meta(description=_FIELDS_DESCRIPTION.format("as they were", "was created")),
]
AfterFields = Annotated[
    dict[str, Any] | None,
    msgspec.Meta(description=_FIELDS_DESCRIPTION.format("as they became", "was removed")),
]


class AuditRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the audit log: who did what to which object, the fields before and after."""

    id: int
    occurred_at: datetime
    #: null when the platform acted by itself (the worker, the CLI)
    actor_id: uuid.UUID | None
    action: str
    object_type: str
    object_id: str
    before: BeforeFields
    after: AfterFields
    #: the HTTP request that made the change (its `X-Request-ID`); null outside requests
    request_id: str | None


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the audit log, newest first; `next_cursor` asks for the next (older) one."""

    items: list[AuditRecord]
    next_cursor: str | None


@dataclass(frozen=True)
class AuditFilters:
    """What the listing is narrowed to; every given filter must hold. The period is
    `occurred_from` (included) to `occurred_to` (excluded), aware datetimes."""

    actor_id: uuid.UUID | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


#: newest first; the id orders the entries written at the same instant
AUDIT_KEYSET = Keyset(
    "audit",
    (KeyColumn("occurred_at", datetime), KeyColumn("id", int)),
    descending=True,
)
_ENTRIES_SQL = (
    "SELECT id, occurred_at, actor, action, object_type, object_id, before, after, request_id"
    " FROM audit_entry WHERE {} AND {} {}"
)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _instant(value: datetime) -> datetime:
    """`value` in UTC; one beyond what PostgreSQL's driver can convert (year 1 or 9999 with an
    offset) becomes the earliest or latest instant, which selects the same entries."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"an audit period is bounded by aware datetimes, not {value!r}")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return _EARLIEST if value.year == _EARLIEST.year else _LATEST


def _conditions(filters: AuditFilters) -> QueryString:
    conditions: list[QueryString] = []
    for sql, value in (
        ("actor = {}", filters.actor_id),
        ("object_type = {}", filters.object_type),
        ("object_id = {}", filters.object_id),
        ("action = {}", filters.action),
    ):
        if value is not None:
            conditions.append(QueryString(sql, value))
    if filters.occurred_from is not None:
        conditions.append(QueryString("occurred_at >= {}", _instant(filters.occurred_from)))
    if filters.occurred_to is not None:
        conditions.append(QueryString("occurred_at < {}", _instant(filters.occurred_to)))
    return all_of(conditions)


def _fields(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    fields: dict[str, Any] = msgspec.json.decode(value)
    return fields


def _record(row: Mapping[str, Any]) -> AuditRecord:
    return AuditRecord(
        id=row["id"],
        occurred_at=row["occurred_at"],
        actor_id=row["actor"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        before=_fields(row["before"]),
        after=_fields(row["after"]),
        request_id=row["request_id"],
    )


async def list_audit_entries(
    admin_id: uuid.UUID,
    filters: AuditFilters | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> AuditPage:
    """The entries that pass `filters`, newest first, a page at a time; `cursor` is the previous
    page's `next_cursor`. Only for admins, as the database says now (not their token)."""
    await require_admin(admin_id)
    rows = await AuditEntry.raw(
        _ENTRIES_SQL,
        _conditions(filters or AuditFilters()),
        AUDIT_KEYSET.after(cursor),
        AUDIT_KEYSET.order_and_limit(limit),
    )
    page = AUDIT_KEYSET.page(rows, limit)
    return AuditPage(items=[_record(row) for row in page.rows], next_cursor=page.next_cursor)


__all__ = [
    "AUDIT_KEYSET",
    "AuditFilters",
    "AuditPage",
    "AuditRecord",
    "list_audit_entries",
]
