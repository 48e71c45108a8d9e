"""HTTP for the providers' views: a cohort's or a course's enrolments with their counts, their
CSV files, and a cohort's attendance sheet.

Parse, guard, call one service with the provider's id, return a schema. Who may see names and
emails is decided by the services, against the database.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from courses import provider_views
from courses.errors import CohortNotFound, CourseNotFound
from courses.parameters import CourseReference
from courses.provider_schemas import AttendanceSheet, EnrolmentPage
from year2026.guards import Principal, requires_signed_in
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.people.errors import NotAMember
from year2026.spreadsheets import CSV_MEDIA_TYPE, csv_response
from year2026.text_types import LINE_TEXT

EnrolmentCursor = Annotated[
    str | None, cursor_parameter(provider_views.ENROLMENTS.max_cursor_length)
]
LearnerCursor = Annotated[str | None, cursor_parameter(provider_views.LEARNERS.max_cursor_length)]
Search = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=200,
        pattern=LINE_TEXT,
        description="A part of the person's name or email, in any case.",
    ),
]
#: Litestar adds `; charset=utf-8` to a text media type by itself
_CSV_DESCRIPTION = (
    "UTF-8 with a byte order mark and CRLF line ends, so that Excel opens it as it is; cells"
    " a spreadsheet would run as a formula are quoted; times in the cohort's zone (a course's:"
    " Asia/Almaty); the header in the reader's language."
)


class CohortEnrolmentsController(Controller):
    path = "/cohorts/{cohort:uuid}"
    tags = ["cohort enrolments"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/enrolments.csv",
        summary="The cohort's enrolments as a CSV file (its provider only)",
        description=_CSV_DESCRIPTION,
        media_type=CSV_MEDIA_TYPE,
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def export_enrolments(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        q: Search = None,
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        return csv_response(
            await provider_views.cohort_enrolments_csv(
                principal.person_id, cohort, q, reader_language(request, lang)
            )
        )

    @get(
        "/attendance",
        summary="The cohort's attendance sheet: confirmed learners × meetings (its provider)",
        description="A column per meeting of the classes that are not cancelled (in the"
        " cohort's zone); learners in arrival order, in pages.",
        opt={"errors": [CohortNotFound, NotAMember, InvalidCursor]},
    )
    async def attendance(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        cursor: LearnerCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> AttendanceSheet:
        return await provider_views.attendance_sheet(
            principal.person_id, cohort, reader_language(request, lang), cursor, limit
        )

    @get(
        "/attendance.csv",
        summary="The cohort's attendance sheet as a CSV file (its provider only)",
        description="1 attended, 0 absent, empty: nothing recorded. " + _CSV_DESCRIPTION,
        media_type=CSV_MEDIA_TYPE,
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def export_attendance(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        return csv_response(
            await provider_views.attendance_csv(
                principal.person_id, cohort, reader_language(request, lang)
            )
        )


class CourseEnrolmentsController(Controller):
    path = "/courses/{course:str}"
    tags = ["cohort enrolments"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/enrolments.csv",
        summary="All the course's enrolments as a CSV file (its provider only)",
        description=_CSV_DESCRIPTION,
        media_type=CSV_MEDIA_TYPE,
        opt={"errors": [CourseNotFound, NotAMember]},
    )
    async def export_enrolments(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        course: CourseReference,
        q: Search = None,
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        return csv_response(
            await provider_views.course_enrolments_csv(
                principal.person_id, course, q, reader_language(request, lang)
            )
        )


# Beside the controllers, not in them: `POST /cohorts/{cohort}/enrolments` and `POST
# /courses/{course}/enrolments` are the enrolment controller's, and Litestar 2 refuses two
# controllers on one path (each brings its own OPTIONS handler); a plain handler joins the path's
# existing route instead. Register these after that controller.
@get(
    "/cohorts/{cohort:uuid}/enrolments",
    guards=[requires_signed_in],
    tags=["cohort enrolments"],
    summary="The cohort's enrolments, with counts per status (its provider only)",
    description="In arrival order. The counts ignore `q`, so that they stay the totals beside"
    " a narrowed list.",
    opt={"errors": [CohortNotFound, NotAMember, InvalidCursor]},
)
async def list_cohort_enrolments(
    principal: NamedDependency[Principal],
    cohort: FromPath[uuid.UUID],
    q: Search = None,
    cursor: EnrolmentCursor = None,
    limit: PageSize = DEFAULT_LIMIT,
) -> EnrolmentPage:
    return await provider_views.cohort_enrolments(principal.person_id, cohort, q, cursor, limit)


@get(
    "/courses/{course:str}/enrolments",
    guards=[requires_signed_in],
    tags=["cohort enrolments"],
    summary="All the course's enrolments (self-paced or of any cohort), with counts per status",
    description="For its provider only. In arrival order. The counts ignore `q`.",
    opt={"errors": [CourseNotFound, NotAMember, InvalidCursor]},
)
async def list_course_enrolments(
    principal: NamedDependency[Principal],
    course: CourseReference,
    q: Search = None,
    cursor: EnrolmentCursor = None,
    limit: PageSize = DEFAULT_LIMIT,
) -> EnrolmentPage:
    return await provider_views.course_enrolments(principal.person_id, course, q, cursor, limit)
