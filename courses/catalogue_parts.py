"""The parts of a course's structure that its changes share: reading it whole (for its provider,
with the tests' answers), finding a module, lesson or question of the course, positions and new
orders, the rule version's rise, and the audit entry of each change."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from courses import access, catalogue, catalogue_queries
from courses.catalogue_errors import ModuleNotFound, OrderMismatch, QuestionNotFound
from courses.catalogue_schemas import (
    CourseStructure,
    LessonRecord,
    ModuleRecord,
    NewOrder,
    OptionRecord,
    QuestionRecord,
)
from courses.errors import CourseNotFound, LessonNotFound
from courses.tables import Course, CourseModule, Lesson, Question
from year2026 import audit


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def texts_of(values: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    return {name: str(values.get(name) or "").strip() for name in names}


# --- reading the structure ------------------------------------------------------------------


def option_records(options_json: str) -> list[OptionRecord]:
    return msgspec.json.decode(options_json, type=list[OptionRecord])


def question_record(row: Mapping[str, Any]) -> QuestionRecord:
    return QuestionRecord(
        id=row["id"],
        lesson_id=row["lesson"],
        position=row["position"],
        text_kk=row["text_kk"],
        text_ru=row["text_ru"],
        text_en=row["text_en"],
        options=option_records(row["options"]),
    )


async def questions_of(lesson_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[QuestionRecord]]:
    """The questions of these tests, in order, with their options and which are correct (for
    providers and for grading; never for a learner's client before they submit)."""
    found: dict[uuid.UUID, list[QuestionRecord]] = {lesson_id: [] for lesson_id in lesson_ids}
    for row in await catalogue_queries.questions(lesson_ids):
        found[row["lesson"]].append(question_record(row))
    return found


def lesson_record(row: Mapping[str, Any], questions: list[QuestionRecord]) -> LessonRecord:
    fields = {name: row[name] for name in LessonRecord.__struct_fields__ if name in row}
    return msgspec.convert(
        {**fields, "module_id": row["module"], "questions": questions}, LessonRecord, strict=False
    )


async def structure_of(course_id: uuid.UUID) -> list[ModuleRecord]:
    """The course's modules in order, each with its lessons and a test's questions."""
    modules = await catalogue_queries.modules(course_id)
    lessons = await catalogue_queries.lessons(course_id)
    questions = await questions_of([row["id"] for row in lessons if row["kind"] == "test"])
    by_module: dict[uuid.UUID, list[LessonRecord]] = {row["id"]: [] for row in modules}
    for row in lessons:
        by_module[row["module"]].append(lesson_record(row, questions.get(row["id"], [])))
    return [
        ModuleRecord(
            id=row["id"],
            position=row["position"],
            title_kk=row["title_kk"],
            title_ru=row["title_ru"],
            title_en=row["title_en"],
            lessons=by_module[row["id"]],
        )
        for row in modules
    ]


async def course_structure(course: Mapping[str, Any]) -> CourseStructure:
    prerequisites = await catalogue_queries.prerequisite_ids(course["id"])
    return CourseStructure(
        course=catalogue.record_of(course, prerequisites),
        modules=await structure_of(course["id"]),
    )


async def get_course_structure(actor_id: uuid.UUID, reference: str) -> CourseStructure:
    """The whole course for its provider (members and admins): every field, every language,
    and the tests' correct answers."""
    row = await access.course_row(reference)
    if row is None:
        raise CourseNotFound
    await access.require_provider_of(actor_id, row)
    return await course_structure(row)


# --- shared steps of a change ---------------------------------------------------------------


async def raise_rule_version(course: Mapping[str, Any], actor_id: uuid.UUID) -> None:
    """The completion rule changed: one more version, recorded."""
    rows = await Course.raw(
        "UPDATE course SET rule_version = rule_version + 1, updated_at = {} WHERE id = {}"
        " RETURNING rule_version",
        now(),
        course["id"],
    )
    version = rows[0]["rule_version"]
    await audit.record_change(
        actor_id=actor_id,
        action="course.rule_change",
        object_type="course",
        object_id=course["id"],
        before={"rule_version": version - 1},
        after={"rule_version": version},
    )


async def module_row(course_id: uuid.UUID, module_id: uuid.UUID) -> dict[str, Any]:
    rows = await CourseModule.raw(
        "SELECT id, course, position, title_kk, title_ru, title_en FROM course_module"
        " WHERE id = {} AND course = {}",
        module_id,
        course_id,
    )
    if not rows:
        raise ModuleNotFound
    return dict(rows[0])


async def lesson_row(course_id: uuid.UUID, lesson_id: uuid.UUID) -> dict[str, Any]:
    rows = await Lesson.raw(
        "SELECT * FROM course_lesson WHERE id = {} AND course = {}", lesson_id, course_id
    )
    if not rows:
        raise LessonNotFound
    return dict(rows[0])


async def question_row(course_id: uuid.UUID, question_id: uuid.UUID) -> dict[str, Any]:
    rows = await Question.raw(
        "SELECT q.id, q.lesson, q.position, q.text_kk, q.text_ru, q.text_en FROM course_question q"
        " JOIN course_lesson l ON l.id = q.lesson WHERE q.id = {} AND l.course = {}",
        question_id,
        course_id,
    )
    if not rows:
        raise QuestionNotFound
    return dict(rows[0])


async def next_position(table: str, parent: str, parent_id: uuid.UUID) -> int:
    rows = await Course.raw(
        f"SELECT COALESCE(MAX(position) + 1, 0) AS next FROM {table} WHERE {parent} = {{}}",  # noqa: S608
        parent_id,
    )
    return int(rows[0]["next"])


async def reorder_children(
    table: str, parent: str, parent_id: uuid.UUID, order: NewOrder
) -> list[uuid.UUID]:
    """Positions 0, 1, … in the order given, which must name each child exactly once; the old
    order (for the audit)."""
    rows = await Course.raw(
        f"SELECT id FROM {table} WHERE {parent} = {{}} ORDER BY position, id",  # noqa: S608
        parent_id,
    )
    current = [row["id"] for row in rows]
    if len(order.ids) != len(set(order.ids)) or set(order.ids) != set(current):
        raise OrderMismatch("ids")
    await Course.raw(
        f"UPDATE {table} t SET position = o.position - 1 FROM unnest({{}}::uuid[])"  # noqa: S608
        f" WITH ORDINALITY AS o(id, position) WHERE t.id = o.id AND t.{parent} = {{}}",
        list(order.ids),
        parent_id,
    )
    return current


async def record_change(
    actor_id: uuid.UUID,
    action: str,
    object_id: uuid.UUID,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    await audit.record_change(
        actor_id=actor_id,
        action=action,
        object_type=action.split(".")[0],
        object_id=object_id,
        before=before,
        after=after,
    )
