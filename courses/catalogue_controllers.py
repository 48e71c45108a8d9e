"""HTTP for the catalogue: the public listing and course pages, and providers' changes to a
course (create, change, publish, archive) and their view of its whole structure.

Parse, guard, call one service with the actor's id, return a schema. Who may change a course is
decided by the services, against the database.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from courses import catalogue, catalogue_parts, catalogue_public
from courses.catalogue_errors import (
    ChoiceRequired,
    CourseSlugTaken,
    CourseStatusChangeRefused,
    CourseTitleRequired,
    PrerequisiteCycle,
    PrerequisiteNotAvailable,
)
from courses.catalogue_queries import BY_PUBLISHED, BY_RELEVANCE, CourseFilters
from courses.catalogue_schemas import (
    CourseCreate,
    CourseDetail,
    CoursePage,
    CourseRecord,
    CourseStructure,
    CourseUpdate,
)
from courses.enums import Audience, CourseFormat, CourseLevel, CourseStatus, TeachingLanguage
from courses.errors import CourseNotFound
from courses.parameters import CourseReference
from year2026.auth.errors import InvalidAccessToken
from year2026.guards import Principal, authenticate, requires_signed_in
from year2026.openapi import OPTIONAL_BEARER
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.patching import present_fields
from year2026.people.enums import Region
from year2026.people.errors import NotAMember, OrganizationNotFound
from year2026.text_types import LINE_TEXT

CourseCursor = Annotated[
    str | None,
    cursor_parameter(max(BY_PUBLISHED.max_cursor_length, BY_RELEVANCE.max_cursor_length)),
]
#: every refusal of bad course fields (all 422, naming the field)
FIELD_ERRORS = [CourseTitleRequired, ChoiceRequired, PrerequisiteNotAvailable, PrerequisiteCycle]
_CHANGE_ERRORS = [CourseNotFound, NotAMember, CourseSlugTaken, *FIELD_ERRORS]


class CoursesController(Controller):
    path = "/courses"
    tags = ["courses"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get(
        "/",
        summary="The AI Movement catalogue: published courses, newest first",
        description="`q` searches titles, summaries and descriptions in Kazakh, Russian and"
        " English (PostgreSQL full-text search); `order=relevance` puts the best matches first."
        " `region` keeps courses with a scheduled cohort there that has not ended. Archived"
        " courses are listed with `status=archived`; drafts with `status=draft` and"
        " `organization`, for its members and admins only (an empty page for anyone else).",
        opt={"errors": [InvalidCursor, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def list_courses(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[CourseStatus] = CourseStatus.PUBLISHED,
        level: FromQuery[CourseLevel | None] = None,
        audience: FromQuery[Audience | None] = None,
        language: Annotated[
            TeachingLanguage | None,
            QueryParameter(description="Only courses taught in this language."),
        ] = None,
        course_format: Annotated[CourseFormat | None, QueryParameter(name="format")] = None,
        organization: Annotated[
            uuid.UUID | None, QueryParameter(description="Only this provider's courses.")
        ] = None,
        region: FromQuery[Region | None] = None,
        q: Annotated[
            str | None, QueryParameter(min_length=1, max_length=200, pattern=LINE_TEXT)
        ] = None,
        order: FromQuery[Literal["published", "relevance"]] = "published",
        cursor: CourseCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> CoursePage:
        filters = CourseFilters(
            status=status,
            level=level,
            audience=audience,
            language=language,
            format=course_format,
            organization_id=organization,
            region=region,
            q=q,
        )
        viewer = await authenticate(request) if status is CourseStatus.DRAFT else None
        return await catalogue_public.list_courses(
            filters,
            reader_language(request, lang),
            by_relevance=order == "relevance",
            cursor=cursor,
            limit=limit,
            viewer_id=viewer.person_id if viewer else None,
        )

    @get(
        "/{course:str}",
        summary="One course by id or slug, in the reader's language, with its modules and"
        " upcoming cohorts",
        description="A draft is found only by its provider's members and admins. Lessons show"
        " their titles, kinds and durations; tests' questions are never on this page.",
        opt={"errors": [CourseNotFound, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def show(
        self, request: Request[Any, Any, Any], course: CourseReference, lang: ReaderLanguage = None
    ) -> CourseDetail:
        viewer = await authenticate(request)
        return await catalogue_public.view_course(
            course,
            viewer.person_id if viewer else None,
            reader_language(request, lang),
        )

    @get(
        "/{course:str}/structure",
        guards=[requires_signed_in],
        summary="The whole course for its provider: every language, lessons, tests, questions"
        " and their correct options",
        opt={"errors": [CourseNotFound, NotAMember]},
    )
    async def structure(
        self, principal: NamedDependency[Principal], course: CourseReference
    ) -> CourseStructure:
        return await catalogue_parts.get_course_structure(principal.person_id, course)

    @post(
        "/",
        guards=[requires_signed_in],
        summary="Create a draft course for a provider (its members and admins)",
        opt={"errors": [NotAMember, OrganizationNotFound, CourseSlugTaken, *FIELD_ERRORS]},
    )
    async def create(
        self, principal: NamedDependency[Principal], data: JSONBody[CourseCreate]
    ) -> CourseRecord:
        return await catalogue.create_course(principal.person_id, data)

    @patch(
        "/{course:str}",
        guards=[requires_signed_in],
        summary="Change a course (absent fields stay as they are)",
        opt={"errors": _CHANGE_ERRORS},
    )
    async def update(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        data: JSONBody[CourseUpdate],
    ) -> CourseRecord:
        return await catalogue.update_course(principal.person_id, course, present_fields(data))

    @post(
        "/{course:str}/publish",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Publish a draft course (publishing a published one changes nothing)",
        opt={"errors": [CourseNotFound, NotAMember, CourseStatusChangeRefused]},
    )
    async def publish(
        self, principal: NamedDependency[Principal], course: CourseReference
    ) -> CourseRecord:
        return await catalogue.publish_course(principal.person_id, course)

    @post(
        "/{course:str}/archive",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Archive a published course: no new enrolments, its learners finish",
        opt={"errors": [CourseNotFound, NotAMember, CourseStatusChangeRefused]},
    )
    async def archive(
        self, principal: NamedDependency[Principal], course: CourseReference
    ) -> CourseRecord:
        return await catalogue.archive_course(principal.person_id, course)
