"""HTTP for enrolment: a person enrols in a cohort or a self-paced course, reads an enrolment of
theirs and withdraws from it.

Parse, guard, call one service with the person's id, return a schema. The seat gate is the
process's (on the app's state).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from courses import enrolments
from courses.enrolment_errors import (
    CohortCancelledForEnrolment,
    CohortFull,
    CohortRequired,
    CompletedEnrolmentKept,
    CourseAlreadyCompleted,
    CourseArchived,
    CourseNotPublished,
    EnrolledElsewhereInCourse,
    EnrolmentClosed,
    EnrolmentNotOpen,
    EnrolmentNotYetOpen,
    PrerequisitesMissing,
)
from courses.enrolment_schemas import Enrolment
from courses.errors import CohortNotFound, CourseNotFound, EnrolmentNotFound
from courses.parameters import CourseReference
from year2026.guards import Principal, requires_signed_in
from year2026.parameters import ReaderLanguage, reader_language
from year2026.seats import ClaimGate, SeatsBusy

_ENROLMENT_DESCRIPTION = (
    " A person has one enrolment per course that has not ended: asking again answers it (200)"
    " instead of making another (201); holding one in another cohort of the course is 409"
    " `enrolled-in-another-cohort`, naming it. Missing prerequisites are 409"
    " `prerequisites-missing`, naming the courses to complete first. When too many people enrol"
    " in one cohort at the same moment, some are answered 503 `seats-busy` with `Retry-After`:"
    " try again then."
)
#: what either way of enrolling may refuse
_ENROLMENT_ERRORS: list[type[Exception]] = [
    CourseNotPublished,
    CourseArchived,
    CourseAlreadyCompleted,
    EnrolledElsewhereInCourse,
    PrerequisitesMissing,
    EnrolmentNotOpen,
    SeatsBusy,
]


def _answer(enrolment: Enrolment, created: bool) -> Response[Enrolment]:
    return Response(enrolment, status_code=HTTP_201_CREATED if created else HTTP_200_OK)


class EnrolInCohortController(Controller):
    path = "/cohorts/{cohort:uuid}/enrolments"
    tags = ["enrolment"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post(
        "/",
        guards=[requires_signed_in],
        summary="Enrol in the cohort",
        description="Confirmed while seats last, then waitlisted in arrival order if the cohort"
        " has a waitlist (else 409 `cohort-full`)." + _ENROLMENT_DESCRIPTION,
        status_code=HTTP_201_CREATED,
        opt={
            "errors": [
                CohortNotFound,
                CohortCancelledForEnrolment,
                EnrolmentNotYetOpen,
                EnrolmentClosed,
                CohortFull,
                *_ENROLMENT_ERRORS,
            ]
        },
    )
    async def enrol(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Response[Enrolment]:
        gate: ClaimGate = request.app.state.seat_gate
        enrolment, created = await enrolments.enrol_in_cohort(
            principal.person_id, cohort, reader_language(request, lang), gate
        )
        return _answer(enrolment, created)


class EnrolInCourseController(Controller):
    path = "/courses/{course:str}/enrolments"
    tags = ["enrolment"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post(
        "/",
        guards=[requires_signed_in],
        summary="Enrol in a self-paced course",
        description="A self-paced course has no limit: the enrolment is confirmed at once. A"
        " course taught in cohorts is enrolled in through one of them (409 `cohort-required`)."
        + _ENROLMENT_DESCRIPTION,
        status_code=HTTP_201_CREATED,
        opt={"errors": [CourseNotFound, CohortRequired, *_ENROLMENT_ERRORS]},
    )
    async def enrol(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        course: CourseReference,
        lang: ReaderLanguage = None,
    ) -> Response[Enrolment]:
        gate: ClaimGate = request.app.state.seat_gate
        enrolment, created = await enrolments.enrol_in_course(
            principal.person_id, course, reader_language(request, lang), gate
        )
        return _answer(enrolment, created)


class MyEnrolmentsController(Controller):
    path = "/me/enrolments"
    tags = ["enrolment"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/{enrolment:uuid}",
        summary="One of my enrolments",
        opt={"errors": [EnrolmentNotFound]},
    )
    async def show_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        enrolment: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Enrolment:
        return await enrolments.my_enrolment(
            principal.person_id, enrolment, reader_language(request, lang)
        )

    @post(
        "/{enrolment:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Withdraw from my enrolment (or leave the waitlist); the seat goes to the next",
        description="Withdrawing twice changes nothing; a completed enrolment cannot be"
        " withdrawn (409 `enrolment-completed`). Enrolling again afterwards makes a new"
        " enrolment.",
        opt={"errors": [EnrolmentNotFound, CompletedEnrolmentKept]},
    )
    async def withdraw_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        enrolment: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Enrolment:
        return await enrolments.withdraw_my_enrolment(
            principal.person_id, enrolment, reader_language(request, lang)
        )
