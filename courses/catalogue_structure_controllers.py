"""HTTP for a course's structure, for its provider: modules, lessons and tests' questions, each
created under its parent, changed and removed by its own id under the course, and reordered by
a list of ids (`PUT …-order`)."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from courses import catalogue_questions, catalogue_structure
from courses.catalogue_errors import (
    CourseTextRequired,
    CourseTitleRequired,
    FinalTestTaken,
    ModuleNotFound,
    NoCorrectOption,
    NotATest,
    OnlyForTests,
    OrderMismatch,
    PassMarkRequired,
    QuestionNotFound,
    TooFewOptions,
    VideoLinkRequired,
)
from courses.catalogue_schemas import (
    CourseStructure,
    LessonCreate,
    LessonRecord,
    LessonUpdate,
    ModuleFields,
    ModuleRecord,
    ModuleUpdate,
    NewOrder,
    QuestionFields,
    QuestionRecord,
    QuestionUpdate,
)
from courses.errors import CourseNotFound, LessonNotFound
from courses.parameters import CourseReference
from year2026.guards import Principal, requires_signed_in
from year2026.patching import present_fields
from year2026.people.errors import NotAMember

_COURSE_ERRORS = [CourseNotFound, NotAMember]
_LESSON_FIELD_ERRORS = [CourseTitleRequired, VideoLinkRequired, PassMarkRequired, OnlyForTests]
_QUESTION_FIELD_ERRORS = [CourseTextRequired, TooFewOptions, NoCorrectOption]


class CourseStructureController(Controller):
    path = "/courses"
    tags = ["courses"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @post(
        "/{course:str}/modules",
        summary="Add a module at the end of the course",
        opt={"errors": [*_COURSE_ERRORS, CourseTitleRequired]},
    )
    async def create_module(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        data: JSONBody[ModuleFields],
    ) -> ModuleRecord:
        return await catalogue_structure.create_module(principal.person_id, course, data)

    @patch(
        "/{course:str}/modules/{module_id:uuid}",
        summary="Rename a module",
        opt={"errors": [*_COURSE_ERRORS, ModuleNotFound, CourseTitleRequired]},
    )
    async def update_module(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        module_id: FromPath[uuid.UUID],
        data: JSONBody[ModuleUpdate],
    ) -> ModuleRecord:
        return await catalogue_structure.update_module(
            principal.person_id, course, module_id, present_fields(data)
        )

    @delete(
        "/{course:str}/modules/{module_id:uuid}",
        summary="Remove a module with its lessons",
        opt={"errors": [*_COURSE_ERRORS, ModuleNotFound]},
    )
    async def delete_module(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        module_id: FromPath[uuid.UUID],
    ) -> None:
        await catalogue_structure.delete_module(principal.person_id, course, module_id)

    @put(
        "/{course:str}/module-order",
        summary="Put the course's modules in this order (every module once)",
        opt={"errors": [*_COURSE_ERRORS, OrderMismatch]},
    )
    async def reorder_modules(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        data: JSONBody[NewOrder],
    ) -> CourseStructure:
        return await catalogue_structure.reorder_modules(principal.person_id, course, data)

    @post(
        "/{course:str}/modules/{module_id:uuid}/lessons",
        summary="Add a lesson (text, video or test) at the end of a module",
        opt={"errors": [*_COURSE_ERRORS, ModuleNotFound, FinalTestTaken, *_LESSON_FIELD_ERRORS]},
    )
    async def create_lesson(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        module_id: FromPath[uuid.UUID],
        data: JSONBody[LessonCreate],
    ) -> LessonRecord:
        return await catalogue_structure.create_lesson(principal.person_id, course, module_id, data)

    @put(
        "/{course:str}/modules/{module_id:uuid}/lesson-order",
        summary="Put a module's lessons in this order (every lesson once)",
        opt={"errors": [*_COURSE_ERRORS, ModuleNotFound, OrderMismatch]},
    )
    async def reorder_lessons(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        module_id: FromPath[uuid.UUID],
        data: JSONBody[NewOrder],
    ) -> CourseStructure:
        return await catalogue_structure.reorder_lessons(
            principal.person_id, course, module_id, data
        )

    @patch(
        "/{course:str}/lessons/{lesson_id:uuid}",
        summary="Change a lesson (absent fields stay); `module_id` moves it to another module",
        description="A change to `required`, `pass_mark` or `final` changes the completion rule:"
        " the course's `rule_version` goes up by one.",
        opt={
            "errors": [
                *_COURSE_ERRORS,
                LessonNotFound,
                ModuleNotFound,
                FinalTestTaken,
                *_LESSON_FIELD_ERRORS,
            ]
        },
    )
    async def update_lesson(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        lesson_id: FromPath[uuid.UUID],
        data: JSONBody[LessonUpdate],
    ) -> LessonRecord:
        return await catalogue_structure.update_lesson(
            principal.person_id, course, lesson_id, present_fields(data)
        )

    @delete(
        "/{course:str}/lessons/{lesson_id:uuid}",
        summary="Remove a lesson (and learners' progress on it)",
        opt={"errors": [*_COURSE_ERRORS, LessonNotFound]},
    )
    async def delete_lesson(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        lesson_id: FromPath[uuid.UUID],
    ) -> None:
        await catalogue_structure.delete_lesson(principal.person_id, course, lesson_id)

    @post(
        "/{course:str}/lessons/{lesson_id:uuid}/questions",
        summary="Add a multiple-choice question at the end of a test",
        opt={"errors": [*_COURSE_ERRORS, LessonNotFound, NotATest, *_QUESTION_FIELD_ERRORS]},
    )
    async def create_question(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        lesson_id: FromPath[uuid.UUID],
        data: JSONBody[QuestionFields],
    ) -> QuestionRecord:
        return await catalogue_questions.create_question(
            principal.person_id, course, lesson_id, data
        )

    @put(
        "/{course:str}/lessons/{lesson_id:uuid}/question-order",
        summary="Put a test's questions in this order (every question once)",
        opt={"errors": [*_COURSE_ERRORS, LessonNotFound, OrderMismatch]},
    )
    async def reorder_questions(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        lesson_id: FromPath[uuid.UUID],
        data: JSONBody[NewOrder],
    ) -> CourseStructure:
        return await catalogue_questions.reorder_questions(
            principal.person_id, course, lesson_id, data
        )

    @patch(
        "/{course:str}/questions/{question_id:uuid}",
        summary="Change a question; `options`, when given, replace its options",
        opt={"errors": [*_COURSE_ERRORS, QuestionNotFound, *_QUESTION_FIELD_ERRORS]},
    )
    async def update_question(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        question_id: FromPath[uuid.UUID],
        data: JSONBody[QuestionUpdate],
    ) -> QuestionRecord:
        return await catalogue_questions.update_question(
            principal.person_id, course, question_id, present_fields(data)
        )

    @delete(
        "/{course:str}/questions/{question_id:uuid}",
        summary="Remove a question",
        opt={"errors": [*_COURSE_ERRORS, QuestionNotFound]},
    )
    async def delete_question(
        self,
        principal: NamedDependency[Principal],
        course: CourseReference,
        question_id: FromPath[uuid.UUID],
    ) -> None:
        await catalogue_questions.delete_question(principal.person_id, course, question_id)
