"""Reads of the catalogue: the public listing (one statement, keyset pages), a course's parts
(provider, prerequisites, modules, lessons, upcoming cohorts with their seats), its structure for
its provider, and its completion rule and tests for the parts that build on it (progress)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.querystring import QueryString

from courses.enums import (
    Audience,
    CohortStatus,
    CourseFormat,
    CourseLevel,
    CourseStatus,
    LessonKind,
    TeachingLanguage,
)
from courses.tables import Course, Lesson
from year2026.db import all_of
from year2026.paging import KeyColumn, Keyset
from year2026.people.enums import Region

#: newest first (a course's place: when it was published; a draft's: when it was made)
BY_PUBLISHED = Keyset(
    "courses",
    (KeyColumn("s.listed_at", dt.datetime), KeyColumn("s.id", uuid.UUID)),
    descending=True,
)
#: with a text query, best matches first (the rank scaled to an integer), then newest
BY_RELEVANCE = Keyset(
    "courses-by-relevance",
    (
        KeyColumn("s.rank", int),
        KeyColumn("s.listed_at", dt.datetime),
        KeyColumn("s.id", uuid.UUID),
    ),
    descending=True,
)

#: what a listing item shows of its course
SUMMARY_COLUMNS = (
    "k.id, k.slug, k.status, k.organization, k.title_kk, k.title_ru, k.title_en,"
    " k.summary_kk, k.summary_ru, k.summary_en, k.level, k.audiences, k.languages, k.format,"
    " k.duration_hours, k.published_at, org.name_kk AS provider_kk, org.name_ru AS provider_ru,"
    " org.name_en AS provider_en"
)
#: the three configurations the search vector was built with (see migrations/courses)
_TEXT_QUERY = (
    "(websearch_to_tsquery('simple', {}) || websearch_to_tsquery('russian', {})"
    " || websearch_to_tsquery('english', {}))"
)


@dataclass(frozen=True)
class CourseFilters:
    """What the public listing is narrowed to (published courses unless `status` says)."""

    status: CourseStatus = CourseStatus.PUBLISHED
    level: CourseLevel | None = None
    audience: Audience | None = None
    language: TeachingLanguage | None = None
    format: CourseFormat | None = None
    organization_id: uuid.UUID | None = None
    #: courses with a scheduled cohort in this region that has not ended
    region: Region | None = None
    q: str | None = None


def _conditions(filters: CourseFilters, now: dt.datetime) -> list[QueryString]:
    conditions = [QueryString("k.status = {}", filters.status.value)]
    if filters.level is not None:
        conditions.append(QueryString("k.level = {}", filters.level.value))
    if filters.audience is not None:
        conditions.append(
            QueryString("k.audiences @> ARRAY[{}]::varchar[]", filters.audience.value)
        )
    if filters.language is not None:
        conditions.append(
            QueryString("k.languages @> ARRAY[{}]::varchar[]", filters.language.value)
        )
    if filters.format is not None:
        conditions.append(QueryString("k.format = {}", filters.format.value))
    if filters.organization_id is not None:
        conditions.append(QueryString("k.organization = {}", filters.organization_id))
    if filters.region is not None:
        conditions.append(
            QueryString(
                "EXISTS (SELECT 1 FROM course_cohort c WHERE c.course = k.id"
                " AND c.status = {} AND c.ends_at > {} AND c.region = {})",
                CohortStatus.SCHEDULED.value,
                now,
                filters.region.value,
            )
        )
    if filters.q:
        conditions.append(QueryString(f"k.search @@ {_TEXT_QUERY}", *[filters.q] * 3))
    return conditions


def keyset_of(filters: CourseFilters, by_relevance: bool) -> Keyset:
    return BY_RELEVANCE if by_relevance and filters.q else BY_PUBLISHED


#: one page of the listing: {rank} {conditions} {after the cursor} {order and limit}
_LISTING_SQL = (
    "SELECT * FROM (SELECT COALESCE(k.published_at, k.created_at) AS listed_at,"  # noqa: S608
    f" {{}} AS rank, {SUMMARY_COLUMNS}"
    " FROM course k JOIN organization org ON org.id = k.organization WHERE {}) s WHERE {} {}"
)


def listing_query(
    filters: CourseFilters, *, by_relevance: bool, cursor: str | None, limit: int, now: dt.datetime
) -> QueryString:
    """The one statement behind a page of the listing."""
    keyset = keyset_of(filters, by_relevance)
    rank = (
        QueryString(f"(ts_rank(k.search, {_TEXT_QUERY}) * 1000000)::bigint", *[filters.q] * 3)
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


async def rows_of(query: QueryString) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Course.raw("{}", query)
    return rows


async def provider_names(organization_id: uuid.UUID) -> dict[str, Any]:
    rows = await Course.raw(
        "SELECT name_kk AS provider_kk, name_ru AS provider_ru, name_en AS provider_en"
        " FROM organization WHERE id = {}",
        organization_id,
    )
    return dict(rows[0])


async def prerequisite_ids(course_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await Course.raw(
        "SELECT required_course FROM course_prerequisite WHERE course = {}"
        " ORDER BY required_course",
        course_id,
    )
    return [row["required_course"] for row in rows]


async def prerequisites(course_id: uuid.UUID) -> list[dict[str, Any]]:
    """The courses this one requires: id, slug and titles, in title order (English)."""
    rows: list[dict[str, Any]] = await Course.raw(
        "SELECT k.id, k.slug, k.title_kk, k.title_ru, k.title_en FROM course_prerequisite p"
        " JOIN course k ON k.id = p.required_course WHERE p.course = {}"
        " ORDER BY k.title_en, k.id",
        course_id,
    )
    return rows


async def modules(course_id: uuid.UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Course.raw(
        "SELECT id, course, position, title_kk, title_ru, title_en FROM course_module"
        " WHERE course = {} ORDER BY position, id",
        course_id,
    )
    return rows


#: a lesson's columns (its module's order first, so that lessons come in course order)
_LESSON_SELECT = (
    "SELECT l.id, l.course, l.module, l.position, l.kind, l.title_kk, l.title_ru, l.title_en,"
    " l.body_kk, l.body_ru, l.body_en, l.video_url, l.duration_minutes, l.required, l.final,"
    " l.pass_mark, l.max_attempts FROM course_lesson l JOIN course_module m ON m.id = l.module"
)


async def lessons(course_id: uuid.UUID) -> list[dict[str, Any]]:
    """The course's lessons in order: by module, then within the module."""
    rows: list[dict[str, Any]] = await Lesson.raw(
        f"{_LESSON_SELECT} WHERE l.course = {{}} ORDER BY m.position, m.id, l.position, l.id",
        course_id,
    )
    return rows


async def questions(lesson_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """The questions of these tests, each with its options (correct flags included) as a JSON
    list, in order."""
    if not lesson_ids:
        return []
    rows: list[dict[str, Any]] = await Lesson.raw(
        "SELECT q.id, q.lesson, q.position, q.text_kk, q.text_ru, q.text_en,"
        " COALESCE((SELECT json_agg(json_build_object('id', o.id, 'text_kk', o.text_kk,"
        " 'text_ru', o.text_ru, 'text_en', o.text_en, 'correct', o.correct)"
        " ORDER BY o.position, o.id) FROM course_question_option o WHERE o.question = q.id),"
        " '[]')::text AS options FROM course_question q WHERE q.lesson = ANY({}::uuid[])"
        " ORDER BY q.lesson, q.position, q.id",
        list(lesson_ids),
    )
    return rows


async def upcoming_cohorts(
    course_id: uuid.UUID, now: dt.datetime, limit: int = 50
) -> list[dict[str, Any]]:
    """Cohorts of the course that have not ended, in start order, with their pools' counts."""
    rows: list[dict[str, Any]] = await Course.raw(
        "SELECT c.id, c.status, c.time_zone, c.starts_at, c.ends_at, c.region, c.venue_name_kk,"
        " c.venue_name_ru, c.venue_name_en, c.venue_address_kk, c.venue_address_ru,"
        " c.venue_address_en, c.online_url, p.id AS pool, p.capacity, p.taken, p.waitlisted"
        " FROM course_cohort c LEFT JOIN seat_pool p ON p.id = c.id"
        " WHERE c.course = {} AND c.ends_at > {} ORDER BY c.starts_at, c.id LIMIT {}",
        course_id,
        now,
        limit,
    )
    return rows


# --- for the parts that build on the catalogue -----------------------------------------------


@dataclass(frozen=True)
class RuleLesson:
    id: uuid.UUID
    module_id: uuid.UUID
    kind: LessonKind
    required: bool
    final: bool
    pass_mark: int | None
    max_attempts: int | None


@dataclass(frozen=True)
class CourseRule:
    """A course's completion rule as it stands: every required lesson done and, where there is
    a final test, a best score at or above its pass mark."""

    course_id: uuid.UUID
    version: int
    #: every lesson in course order
    lessons: tuple[RuleLesson, ...]

    @property
    def required_lesson_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(lesson.id for lesson in self.lessons if lesson.required)

    @property
    def final_test(self) -> RuleLesson | None:
        return next((lesson for lesson in self.lessons if lesson.final), None)


async def completion_rule(course_id: uuid.UUID) -> CourseRule:
    """The course's rule and its version, read together in one statement (so the version is
    the one the lessons were read under); an unknown course has no lessons and version 0."""
    rows = await Lesson.raw(
        "SELECT k.rule_version, l.id, l.module, l.kind, l.required, l.final, l.pass_mark,"
        " l.max_attempts FROM course k LEFT JOIN course_lesson l ON l.course = k.id"
        " LEFT JOIN course_module m ON m.id = l.module WHERE k.id = {}"
        " ORDER BY m.position, m.id, l.position, l.id",
        course_id,
    )
    if not rows:
        return CourseRule(course_id=course_id, version=0, lessons=())
    return CourseRule(
        course_id=course_id,
        version=rows[0]["rule_version"],
        lessons=tuple(
            RuleLesson(
                id=row["id"],
                module_id=row["module"],
                kind=LessonKind(row["kind"]),
                required=row["required"],
                final=row["final"],
                pass_mark=row["pass_mark"],
                max_attempts=row["max_attempts"],
            )
            for row in rows
            if row["id"] is not None
        ),
    )
