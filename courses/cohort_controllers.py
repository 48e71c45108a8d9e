"""HTTP for cohorts, their instructors and their class schedules.

Parse, guard, call one service with the actor's id, return a schema. Who may change a cohort is
decided by the services, against the database.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from courses import classes, cohorts
from courses.cohort_errors import (
    ClassCancelled,
    ClassEndsBeforeStart,
    ClassNotFound,
    ClassOutsideCohort,
    ClassTitleRequired,
    ClassTooLong,
    CohortCancelled,
    CohortEndsBeforeStart,
    CohortRegionRequired,
    CohortTooLong,
    EnrolmentWindowBackwards,
    InstructorNotAMember,
    OnlineCohortHasNoRegion,
    OnlineLinkRequired,
    SelfPacedHasNoCohorts,
    TooManyClasses,
)
from courses.cohort_schemas import (
    ClassCreate,
    ClassRecord,
    ClassSchedule,
    ClassUpdate,
    CohortCreate,
    CohortDetail,
    CohortRecord,
    CohortUpdate,
    Instructor,
)
from courses.errors import CapacityBelowEnrolled, CohortNotFound, CourseNotFound
from courses.parameters import CourseReference
from year2026.auth.errors import InvalidAccessToken
from year2026.exceptions import DomainError
from year2026.guards import Principal, authenticate, requires_signed_in
from year2026.openapi import OPTIONAL_BEARER
from year2026.parameters import ReaderLanguage, reader_language
from year2026.patching import present_fields
from year2026.people.errors import NotAMember, PersonNotFound
from year2026.recurrence import InvalidRecurrence, UnknownTimeZone

#: every refusal of bad cohort fields (all 422, naming the field)
COHORT_FIELD_ERRORS: list[type[DomainError]] = [
    CohortEndsBeforeStart,
    CohortTooLong,
    CohortRegionRequired,
    OnlineCohortHasNoRegion,
    OnlineLinkRequired,
    EnrolmentWindowBackwards,
    UnknownTimeZone,
]
CLASS_FIELD_ERRORS: list[type[DomainError]] = [
    ClassTitleRequired,
    ClassEndsBeforeStart,
    ClassTooLong,
    ClassOutsideCohort,
    InvalidRecurrence,
]
_CLASS_CHANGE_ERRORS: list[type[DomainError]] = [
    CohortNotFound,
    NotAMember,
    CohortCancelled,
    *CLASS_FIELD_ERRORS,
]


# Beside the controllers, not in one: `/courses/{course}/...` paths may be shared with the
# catalogue's controllers, and Litestar 2 refuses two controllers on one path (each brings its
# own OPTIONS handler); a plain handler joins the path's route instead. Register it after them.
@post(
    "/courses/{course:str}/cohorts",
    guards=[requires_signed_in],
    tags=["cohorts"],
    summary="Add a cohort to a cohort-taught course (its provider's members and admins)",
    description="Times without an offset are wall-clock times in `time_zone`. An in-person"
    " cohort needs its `region`, an online one its `online_url`. A self-paced course has no"
    " cohorts (409).",
    opt={"errors": [CourseNotFound, NotAMember, SelfPacedHasNoCohorts, *COHORT_FIELD_ERRORS]},
)
async def create_cohort(
    principal: NamedDependency[Principal], course: CourseReference, data: JSONBody[CohortCreate]
) -> CohortRecord:
    return await cohorts.create_cohort(principal.person_id, course, data)


class CohortsController(Controller):
    path = "/cohorts/{cohort:uuid}"
    tags = ["cohorts"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get(
        "/",
        summary="One cohort: its dates, place, seats, instructors and classes",
        description="Public when its course is; a draft course's cohort is found only by the"
        " provider's members and admins. Times in the cohort's zone.",
        opt={"errors": [CohortNotFound, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def show(
        self,
        request: Request[Any, Any, Any],
        cohort: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> CohortDetail:
        viewer = await authenticate(request)
        return await cohorts.view_cohort(
            cohort, viewer.person_id if viewer else None, reader_language(request, lang)
        )

    @get(
        "/record",
        guards=[requires_signed_in],
        summary="The whole cohort in every language, for its provider",
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def record(
        self, principal: NamedDependency[Principal], cohort: FromPath[uuid.UUID]
    ) -> CohortRecord:
        return await cohorts.get_cohort_record(principal.person_id, cohort)

    @patch(
        "/",
        guards=[requires_signed_in],
        summary="Change a cohort (absent fields stay as they are)",
        description="More seats go at once to the first people waiting; fewer seats than are"
        " held is refused (409, naming `capacity`).",
        opt={
            "errors": [
                CohortNotFound,
                NotAMember,
                CohortCancelled,
                CapacityBelowEnrolled,
                *COHORT_FIELD_ERRORS,
            ]
        },
    )
    async def update(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        data: JSONBody[CohortUpdate],
    ) -> CohortRecord:
        return await cohorts.update_cohort(principal.person_id, cohort, present_fields(data))

    @post(
        "/cancel",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Cancel a cohort: every enrolment in it ends, and its classes are cancelled",
        description="Cancelling a cancelled cohort changes nothing.",
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def cancel(
        self, principal: NamedDependency[Principal], cohort: FromPath[uuid.UUID]
    ) -> CohortRecord:
        return await cohorts.cancel_cohort(principal.person_id, cohort)

    @get(
        "/instructors",
        guards=[requires_signed_in],
        summary="Who teaches the cohort (its provider's members and admins)",
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def list_instructors(
        self, principal: NamedDependency[Principal], cohort: FromPath[uuid.UUID]
    ) -> list[Instructor]:
        return await cohorts.list_instructors(principal.person_id, cohort)

    @put(
        "/instructors/{person_id:uuid}",
        guards=[requires_signed_in],
        summary="Make a member of the course's provider an instructor of the cohort",
        description="Only members of the provider teach its cohorts (409 for anyone else)."
        " Answers the cohort's instructors.",
        opt={
            "errors": [
                CohortNotFound,
                NotAMember,
                CohortCancelled,
                PersonNotFound,
                InstructorNotAMember,
            ]
        },
    )
    async def add_instructor(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        person_id: FromPath[uuid.UUID],
    ) -> list[Instructor]:
        return await cohorts.add_instructor(principal.person_id, cohort, person_id)

    @delete(
        "/instructors/{person_id:uuid}",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="The person no longer teaches the cohort",
        description="Answers the cohort's instructors.",
        opt={"errors": [CohortNotFound, NotAMember]},
    )
    async def remove_instructor(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        person_id: FromPath[uuid.UUID],
    ) -> list[Instructor]:
        return await cohorts.remove_instructor(principal.person_id, cohort, person_id)

    @get(
        "/classes",
        summary="The cohort's classes and all their meetings within its dates",
        description="Recurring classes are expanded in the cohort's zone; meetings of a"
        " cancelled class (or cohort) are kept, marked cancelled. Public when its course is.",
        opt={"errors": [CohortNotFound, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def schedule(
        self,
        request: Request[Any, Any, Any],
        cohort: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> ClassSchedule:
        viewer = await authenticate(request)
        return await classes.class_schedule(
            cohort, viewer.person_id if viewer else None, reader_language(request, lang)
        )

    @post(
        "/classes",
        guards=[requires_signed_in],
        summary="Add a class (one meeting, or a series by an RRULE) to the cohort",
        description="Times without an offset are wall-clock times in the cohort's zone; the"
        " first meeting lies within the cohort's dates.",
        opt={"errors": [*_CLASS_CHANGE_ERRORS, TooManyClasses]},
    )
    async def create_class(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        data: JSONBody[ClassCreate],
    ) -> ClassRecord:
        return await classes.create_class(principal.person_id, cohort, data)

    @get(
        "/classes/{class_id:uuid}",
        guards=[requires_signed_in],
        summary="The whole class in every language, for the cohort's provider",
        opt={"errors": [CohortNotFound, NotAMember, ClassNotFound]},
    )
    async def show_class(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        class_id: FromPath[uuid.UUID],
    ) -> ClassRecord:
        return await classes.get_class(principal.person_id, cohort, class_id)

    @patch(
        "/classes/{class_id:uuid}",
        guards=[requires_signed_in],
        summary="Change a class (absent fields stay as they are)",
        opt={"errors": [*_CLASS_CHANGE_ERRORS, ClassNotFound, ClassCancelled]},
    )
    async def update_class(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        class_id: FromPath[uuid.UUID],
        data: JSONBody[ClassUpdate],
    ) -> ClassRecord:
        return await classes.update_class(
            principal.person_id, cohort, class_id, present_fields(data)
        )

    @post(
        "/classes/{class_id:uuid}/cancel",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Cancel a class: its meetings stay listed, marked cancelled",
        description="Cancelling a cancelled class changes nothing.",
        opt={"errors": [CohortNotFound, NotAMember, CohortCancelled, ClassNotFound]},
    )
    async def cancel_class(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        class_id: FromPath[uuid.UUID],
    ) -> ClassRecord:
        return await classes.cancel_class(principal.person_id, cohort, class_id)
