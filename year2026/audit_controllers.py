"""HTTP for the audit log: admins read it, filtered, newest first."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from year2026.audit import ACTION_PATTERN, OBJECT_ID_PATTERN, OBJECT_TYPE_PATTERN
from year2026.audit_listing import AUDIT_KEYSET, AuditFilters, AuditPage, list_audit_entries
from year2026.audit_tables import ACTION_MAX_LENGTH, OBJECT_ID_MAX_LENGTH, OBJECT_TYPE_MAX_LENGTH
from year2026.guards import Principal, requires_admin
from year2026.instant_query import instant_parameter, parse_instant
from year2026.paging import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, InvalidCursor
from year2026.people.errors import RoleRequired

PageSize = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_LIMIT, description=f"How many entries at most (1–{MAX_LIMIT})."),
]
AuditCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=AUDIT_KEYSET.max_cursor_length,
        pattern=CURSOR_PATTERN,
        description="The previous page's `next_cursor` (opaque); without it, the newest entries.",
    ),
]
ActorFilter = Annotated[
    uuid.UUID | None, QueryParameter(description="Only what this person did (their id).")
]
ObjectTypeFilter = Annotated[
    str | None,
    QueryParameter(
        max_length=OBJECT_TYPE_MAX_LENGTH,
        pattern=OBJECT_TYPE_PATTERN,
        description="Only changes of objects of this type (`event`, `organization`, `person`).",
    ),
]
ObjectIdFilter = Annotated[
    str | None,
    QueryParameter(
        max_length=OBJECT_ID_MAX_LENGTH,
        pattern=OBJECT_ID_PATTERN,
        description="Only changes of the object with this id (with `object_type`, one object).",
    ),
]
ActionFilter = Annotated[
    str | None,
    QueryParameter(
        max_length=ACTION_MAX_LENGTH,
        pattern=ACTION_PATTERN,
        description="Only this action (`event.publish`, `role.grant`).",
    ),
]
PeriodFrom = Annotated[
    str | None,
    instant_parameter("from", "Only entries at or after this instant (RFC 3339, with offset)."),
]
PeriodTo = Annotated[
    str | None,
    instant_parameter("to", "Only entries before this instant (RFC 3339, with offset)."),
]


class AuditController(Controller):
    path = "/admin/audit"
    tags = ["admin"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_admin]  # noqa: RUF012

    @get(
        "/",
        summary="The audit log, newest first (admins)",
        description="Who changed what, the changed fields before and after, when, and in which"
        " request. Every filter given must hold; the period is `from` (included) to `to`"
        " (excluded).",
        opt={"errors": [RoleRequired, InvalidCursor]},
    )
    async def list_entries(
        self,
        principal: NamedDependency[Principal],
        actor: ActorFilter = None,
        object_type: ObjectTypeFilter = None,
        object_id: ObjectIdFilter = None,
        action: ActionFilter = None,
        occurred_from: PeriodFrom = None,
        occurred_to: PeriodTo = None,
        limit: PageSize = DEFAULT_LIMIT,
        cursor: AuditCursor = None,
    ) -> AuditPage:
        filters = AuditFilters(
            actor_id=actor,
            object_type=object_type,
            object_id=object_id,
            action=action,
            occurred_from=parse_instant("from", occurred_from),
            occurred_to=parse_instant("to", occurred_to),
        )
        return await list_audit_entries(principal.person_id, filters, limit=limit, cursor=cursor)
