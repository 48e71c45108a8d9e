"""The public side of the catalogue: the listing and a course's page, in the reader's language.

Anyone may read published courses (archived ones too: on their own page, or listed with
`status=archived`); a draft exists only for its provider's members and admins. A course's page
shows its modules and lessons (titles, kinds, durations), never a test's questions or answers:
enrolled learners get those from the progress part, one test at a time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from courses import access, catalogue_queries
from courses.catalogue_queries import CourseFilters
from courses.catalogue_schemas import (
    CohortSeats,
    CompletionRule,
    CourseDetail,
    CoursePage,
    CourseSummary,
    FinalTest,
    PrerequisiteView,
    PublicLesson,
    PublicModule,
    UpcomingCohort,
)
from courses.enums import CourseStatus
from year2026.i18n import Language, localized
from year2026.people import organizations


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _summary_fields(row: Mapping[str, Any], language: Language) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "status": row["status"],
        "organization_id": row["organization"],
        "provider": localized(row, "provider", language),
        "title": localized(row, "title", language),
        "summary": localized(row, "summary", language),
        "level": row["level"],
        "audiences": list(row["audiences"]),
        "languages": list(row["languages"]),
        "format": row["format"],
        "duration_hours": row["duration_hours"],
        "published_at": row["published_at"],
    }


async def list_courses(
    filters: CourseFilters,
    language: Language,
    *,
    by_relevance: bool = False,
    cursor: str | None = None,
    limit: int = 50,
    viewer_id: uuid.UUID | None = None,
) -> CoursePage:
    """Courses newest first (or by relevance to `q`), one keyset page, in one statement.
    Drafts (`status=draft`) are listed only for a provider (`organization_id`) whose member or
    admin asks; anyone else gets an empty listing rather than a hint that drafts exist."""
    if filters.status is CourseStatus.DRAFT and (
        filters.organization_id is None
        or not await organizations.is_member_or_admin(viewer_id, filters.organization_id)
    ):
        return CoursePage(items=[], next_cursor=None)
    keyset = catalogue_queries.keyset_of(filters, by_relevance)
    statement = catalogue_queries.listing_query(
        filters, by_relevance=by_relevance, cursor=cursor, limit=limit, now=_now()
    )
    page = keyset.page(await catalogue_queries.rows_of(statement), limit)
    return CoursePage(
        items=[CourseSummary(**_summary_fields(row, language)) for row in page.rows],
        next_cursor=page.next_cursor,
    )


def _cohort_view(row: Mapping[str, Any], language: Language) -> UpcomingCohort:
    zone = ZoneInfo(row["time_zone"])
    seats = None
    if row["pool"] is not None:
        capacity = row["capacity"]
        seats = CohortSeats(
            capacity=capacity,
            taken=row["taken"],
            left=None if capacity is None else max(0, capacity - row["taken"]),
            waitlisted=row["waitlisted"],
        )
    return UpcomingCohort(
        id=row["id"],
        status=row["status"],
        time_zone=row["time_zone"],
        starts_at=row["starts_at"].astimezone(zone),
        ends_at=row["ends_at"].astimezone(zone),
        online=row["region"] is None,
        region=row["region"],
        venue_name=localized(row, "venue_name", language),
        venue_address=localized(row, "venue_address", language),
        seats=seats,
    )


async def view_course(
    reference: str, viewer_id: uuid.UUID | None, language: Language
) -> CourseDetail:
    """A course's page by id or slug: its texts, provider, prerequisites, modules and lessons,
    its completion rule and its cohorts that have not ended."""
    row = await access.visible_course(reference, viewer_id)
    course_id: uuid.UUID = row["id"]
    provider = await catalogue_queries.provider_names(row["organization"])
    modules = await catalogue_queries.modules(course_id)
    lessons = await catalogue_queries.lessons(course_id)
    by_module: dict[uuid.UUID, list[PublicLesson]] = {module["id"]: [] for module in modules}
    for lesson in lessons:
        by_module[lesson["module"]].append(
            PublicLesson(
                id=lesson["id"],
                kind=lesson["kind"],
                title=localized(lesson, "title", language),
                duration_minutes=lesson["duration_minutes"],
                required=lesson["required"],
                final=lesson["final"],
            )
        )
    final = next((lesson for lesson in lessons if lesson["final"]), None)
    return CourseDetail(
        **_summary_fields({**row, **provider}, language),
        description=localized(row, "description", language),
        prerequisites=[
            PrerequisiteView(
                id=item["id"], slug=item["slug"], title=localized(item, "title", language)
            )
            for item in await catalogue_queries.prerequisites(course_id)
        ],
        modules=[
            PublicModule(
                id=module["id"],
                title=localized(module, "title", language),
                lessons=by_module[module["id"]],
            )
            for module in modules
        ],
        completion_rule=CompletionRule(
            required_lessons=sum(1 for lesson in lessons if lesson["required"]),
            final_test=None
            if final is None
            else FinalTest(
                lesson_id=final["id"],
                title=localized(final, "title", language),
                pass_mark=final["pass_mark"],
            ),
            version=row["rule_version"],
        ),
        upcoming_cohorts=[
            _cohort_view(cohort, language)
            for cohort in await catalogue_queries.upcoming_cohorts(course_id, _now())
        ],
    )
