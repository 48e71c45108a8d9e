"""The catalogue's rules for courses: providers create a course as a draft, change it, publish
and archive it, and say which courses must be completed first.

Every change checks in the database that the actor belongs to the course's provider (or is an
admin), locks the course's row first (`courses.access`), and writes its audit entry in the same
transaction. A status change brings the course's seat pools in line (`courses.seating`) in that
transaction too, so an enrolment is decided on pools that agree with the course.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
import msgspec

from courses import access, catalogue_queries, seating
from courses.catalogue_errors import (
    ChoiceRequired,
    CourseSlugTaken,
    CourseStatusChangeRefused,
    CourseTitleRequired,
    PrerequisiteCycle,
    PrerequisiteNotAvailable,
)
from courses.catalogue_schemas import CourseCreate, CourseFields, CourseRecord
from courses.enums import Audience, CourseStatus, TeachingLanguage
from courses.tables import Course
from year2026 import audit
from year2026.db import get_engine
from year2026.people import organizations

_LANGUAGES = ("kk", "ru", "en")
#: the fields a provider edits, as columns (prerequisites live in their own table)
EDITABLE_FIELDS: tuple[str, ...] = tuple(
    name for name in CourseFields.__struct_fields__ if name != "prerequisite_ids"
)
#: changes to the prerequisite graph take this transaction-level lock, so that two changes at
#: once cannot each add half of a cycle
_PREREQUISITE_GRAPH_LOCK = 2026_17_01


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _unique(values: Sequence[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def check_course_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The course's editable fields, checked, as columns (texts trimmed, enums by value, each
    audience and language once)."""
    stored: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        value = values[name]
        if isinstance(value, str):
            value = value.strip()
        stored[name] = getattr(value, "value", value)
    if not any(stored[f"title_{language}"] for language in _LANGUAGES):
        raise CourseTitleRequired("title_kk")
    for name, kind in (("audiences", Audience), ("languages", TeachingLanguage)):
        chosen = _unique([kind(item).value for item in stored[name]])
        if not chosen:
            raise ChoiceRequired(name)
        stored[name] = chosen
    return stored


def record_of(row: Mapping[str, Any], prerequisite_ids: Sequence[uuid.UUID]) -> CourseRecord:
    fields = {name: row[name] for name in CourseRecord.__struct_fields__ if name in row}
    fields["organization_id"] = row["organization"]
    fields["prerequisite_ids"] = sorted(prerequisite_ids)
    return msgspec.convert(fields, CourseRecord, strict=False)


def _audit_view(row: Mapping[str, Any], prerequisite_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    view = {name: row[name] for name in (*EDITABLE_FIELDS, "status") if name in row}
    view["prerequisite_ids"] = sorted(prerequisite_ids)
    return view


async def _set_prerequisites(
    course: Mapping[str, Any], wanted: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Make `wanted` the course's prerequisites: other existing courses, public or of the same
    provider, none of which requires this course (directly or through others)."""
    course_id: uuid.UUID = course["id"]
    wanted = _unique(wanted)
    if course_id in wanted:
        raise PrerequisiteCycle("prerequisite_ids")
    await Course.raw("SELECT pg_advisory_xact_lock({})", _PREREQUISITE_GRAPH_LOCK)
    current = await catalogue_queries.prerequisite_ids(course_id)
    if set(current) == set(wanted):
        return current
    found = {
        row["id"]: row
        for row in await Course.raw(
            "SELECT id, status, organization FROM course WHERE id = ANY({}::uuid[])", wanted
        )
    }
    for required_id in wanted:
        required = found.get(required_id)
        if required is None or not (
            access.is_public(required) or required["organization"] == course["organization"]
        ):
            raise PrerequisiteNotAvailable("prerequisite_ids")
    cycle = await Course.raw(
        "WITH RECURSIVE reached(id) AS ("
        " SELECT required_course FROM course_prerequisite WHERE course = ANY({}::uuid[])"
        " UNION SELECT p.required_course FROM course_prerequisite p JOIN reached r"
        " ON p.course = r.id) SELECT 1 FROM reached WHERE id = {} LIMIT 1",
        wanted,
        course_id,
    )
    if cycle:
        raise PrerequisiteCycle("prerequisite_ids")
    await Course.raw(
        "DELETE FROM course_prerequisite WHERE course = {}"
        " AND NOT (required_course = ANY({}::uuid[]))",
        course_id,
        wanted,
    )
    await Course.raw(
        "INSERT INTO course_prerequisite (id, course, required_course)"
        " SELECT gen_random_uuid(), {}, required FROM unnest({}::uuid[]) AS required"
        " ON CONFLICT (course, required_course) DO NOTHING",
        course_id,
        wanted,
    )
    return sorted(wanted)


def _slug_taken(error: asyncpg.UniqueViolationError) -> bool:
    return "slug" in (getattr(error, "constraint_name", "") or "")


async def create_course(
    actor_id: uuid.UUID, data: CourseCreate, *, demo: bool = False
) -> CourseRecord:
    """A new draft course of the provider (its members and admins may); `demo` marks the demo
    content of `year2026 demo`."""
    fields = check_course_fields(msgspec.structs.asdict(data))
    now = _now()
    async with get_engine().transaction():
        await organizations.get_organization(data.organization_id)  # 404 rather than a bad row
        await organizations.require_member_or_admin(actor_id, data.organization_id)
        try:
            inserted = await Course.insert(
                Course(
                    **fields,
                    id=uuid.uuid4(),
                    organization=data.organization_id,
                    status=CourseStatus.DRAFT.value,
                    is_demo=demo,
                    created_at=now,
                    updated_at=now,
                )
            ).returning(*Course.all_columns())
        except asyncpg.UniqueViolationError as error:
            if _slug_taken(error):
                raise CourseSlugTaken().at("slug") from error
            raise
        created = dict(inserted[0])
        required = await _set_prerequisites(created, data.prerequisite_ids)
        await audit.record_change(
            actor_id=actor_id,
            action="course.create",
            object_type="course",
            object_id=created["id"],
            before=None,
            after=_audit_view(created, required),
        )
    return record_of(created, required)


async def update_course(
    actor_id: uuid.UUID, reference: str, changes: Mapping[str, Any]
) -> CourseRecord:
    """Apply the given fields (absent ones stay); `prerequisite_ids` replaces the list."""
    async with get_engine().transaction():
        row = await access.course_for_change(actor_id, reference)
        fields = check_course_fields({**row, **changes})
        changed = {name: value for name, value in fields.items() if row[name] != value}
        before = await catalogue_queries.prerequisite_ids(row["id"])
        after = before
        if "prerequisite_ids" in changes:
            after = await _set_prerequisites(row, changes["prerequisite_ids"])
        if not changed and set(after) == set(before):
            return record_of(row, before)
        now = _now()
        changed["updated_at"] = now
        try:
            await Course.update(
                {getattr(Course, name): value for name, value in changed.items()}
            ).where(Course.id == row["id"])
        except asyncpg.UniqueViolationError as error:
            if _slug_taken(error):
                raise CourseSlugTaken().at("slug") from error
            raise
        new_row = {**row, **changed}
        if "format" in changed:  # a self-paced course has a pool of its own
            await seating.sync_course_pools(new_row, now, actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action="course.update",
            object_type="course",
            object_id=row["id"],
            before=_audit_view(row, before),
            after=_audit_view(new_row, after),
        )
    return record_of(new_row, after)


async def _move(
    actor_id: uuid.UUID, reference: str, target: CourseStatus, source: CourseStatus
) -> CourseRecord:
    """The workflow's one step from `source` to `target`; a course already there stays as it
    is, any other move is refused."""
    async with get_engine().transaction():
        row = await access.course_for_change(actor_id, reference)
        prerequisites = await catalogue_queries.prerequisite_ids(row["id"])
        status = CourseStatus(row["status"])
        if status is target:
            return record_of(row, prerequisites)
        if status is not source:
            raise CourseStatusChangeRefused(current=status.value)
        now = _now()
        changed: dict[str, Any] = {"status": target.value, "updated_at": now}
        if target is CourseStatus.PUBLISHED and row["published_at"] is None:
            changed["published_at"] = now
        await Course.update(
            {getattr(Course, name): value for name, value in changed.items()}
        ).where(Course.id == row["id"])
        new_row = {**row, **changed}
        await seating.sync_course_pools(new_row, now, actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action=f"course.{'publish' if target is CourseStatus.PUBLISHED else 'archive'}",
            object_type="course",
            object_id=row["id"],
            before={"status": row["status"], "published_at": row["published_at"]},
            after={"status": new_row["status"], "published_at": new_row["published_at"]},
        )
    return record_of(new_row, prerequisites)


async def publish_course(actor_id: uuid.UUID, reference: str) -> CourseRecord:
    """A draft becomes public: listed, and open for enrolment in its cohorts (or self-paced)."""
    return await _move(actor_id, reference, CourseStatus.PUBLISHED, CourseStatus.DRAFT)


async def archive_course(actor_id: uuid.UUID, reference: str) -> CourseRecord:
    """A published course takes no new enrolments; its page stays, its learners finish."""
    return await _move(actor_id, reference, CourseStatus.ARCHIVED, CourseStatus.PUBLISHED)
