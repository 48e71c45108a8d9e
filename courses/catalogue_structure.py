"""The catalogue's rules for a course's structure: modules and lessons in order, and the
completion rule they make (tests' questions: `courses.catalogue_questions`).

A published course may still be corrected. A change to the completion rule (a lesson's
`required`, a test's pass mark, which test is final, a required lesson or the final test added or
removed) raises the course's `rule_version` in the same transaction: the recompute job then
completes the enrolments the new rule lets through. Every change locks the course first and
writes its audit entry in its transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg
import msgspec

from courses import access, catalogue_parts
from courses.catalogue_errors import (
    CourseTitleRequired,
    FinalTestTaken,
    OnlyForTests,
    PassMarkRequired,
    VideoLinkRequired,
)
from courses.catalogue_parts import (
    course_structure,
    lesson_record,
    lesson_row,
    module_row,
    next_position,
    now,
    raise_rule_version,
    record_change,
    reorder_children,
    texts_of,
)
from courses.catalogue_schemas import (
    CourseStructure,
    LessonCreate,
    LessonRecord,
    ModuleFields,
    ModuleRecord,
    NewOrder,
)
from courses.enums import LessonKind
from courses.tables import CourseModule, Lesson
from year2026.db import get_engine

_LANGUAGES = ("kk", "ru", "en")
#: a lesson's fields that make the completion rule: a change raises the course's rule_version
RULE_FIELDS = frozenset({"required", "pass_mark", "final"})
LESSON_FIELDS: tuple[str, ...] = (
    *(f"title_{language}" for language in _LANGUAGES),
    *(f"body_{language}" for language in _LANGUAGES),
    "video_url",
    "duration_minutes",
    "required",
    "pass_mark",
    "max_attempts",
    "final",
)
MODULE_FIELDS: tuple[str, ...] = tuple(f"title_{language}" for language in _LANGUAGES)
_FINAL_INDEX = "course_lesson_one_final"


# --- modules --------------------------------------------------------------------------------


def _check_module(values: Mapping[str, Any]) -> dict[str, Any]:
    titles = texts_of(values, MODULE_FIELDS)
    if not any(titles.values()):
        raise CourseTitleRequired("title_kk")
    return titles


async def _module_record(course_id: uuid.UUID, module_id: uuid.UUID) -> ModuleRecord:
    return next(
        module for module in await catalogue_parts.structure_of(course_id) if module.id == module_id
    )


async def create_module(actor_id: uuid.UUID, reference: str, data: ModuleFields) -> ModuleRecord:
    """A new module at the end of the course."""
    titles = _check_module(msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        position = await next_position("course_module", "course", course["id"])
        module_id = uuid.uuid4()
        await CourseModule.insert(
            CourseModule(id=module_id, course=course["id"], position=position, **titles)
        )
        await record_change(
            actor_id, "course_module.create", module_id, None, {**titles, "position": position}
        )
    return ModuleRecord(id=module_id, position=position, lessons=[], **titles)


async def update_module(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, changes: Mapping[str, Any]
) -> ModuleRecord:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await module_row(course["id"], module_id)
        titles = _check_module({**row, **changes})
        await CourseModule.update(
            {getattr(CourseModule, name): value for name, value in titles.items()}
        ).where(CourseModule.id == module_id)
        await record_change(actor_id, "course_module.update", module_id, row, {**row, **titles})
    return await _module_record(course["id"], module_id)


async def delete_module(actor_id: uuid.UUID, reference: str, module_id: uuid.UUID) -> None:
    """Remove a module with its lessons (and their learners' progress on them)."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await module_row(course["id"], module_id)
        counted = await Lesson.raw(
            "SELECT 1 FROM course_lesson WHERE module = {} AND (required OR final) LIMIT 1",
            module_id,
        )
        await CourseModule.delete().where(CourseModule.id == module_id)
        if counted:
            await raise_rule_version(course, actor_id)
        await record_change(actor_id, "course_module.delete", module_id, row, None)


async def reorder_modules(actor_id: uuid.UUID, reference: str, order: NewOrder) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        before = await reorder_children("course_module", "course", course["id"], order)
        await record_change(
            actor_id,
            "course.reorder_modules",
            course["id"],
            {"module_ids": before},
            {"module_ids": list(order.ids)},
        )
    return await course_structure(course)


# --- lessons --------------------------------------------------------------------------------


def check_lesson(kind: LessonKind, values: Mapping[str, Any]) -> dict[str, Any]:
    """A lesson's fields of its kind, checked, as columns."""
    checked: dict[str, Any] = texts_of(values, LESSON_FIELDS[:6])
    if not any(checked[f"title_{language}"] for language in _LANGUAGES):
        raise CourseTitleRequired("title_kk")
    checked["video_url"] = str(values.get("video_url") or "").strip()
    checked["duration_minutes"] = values.get("duration_minutes") or 0
    checked["required"] = bool(values.get("required"))
    checked["final"] = bool(values.get("final"))
    checked["pass_mark"] = values.get("pass_mark")
    checked["max_attempts"] = values.get("max_attempts")
    if kind is LessonKind.VIDEO and not checked["video_url"]:
        raise VideoLinkRequired("video_url")
    if kind is LessonKind.TEST:
        if checked["pass_mark"] is None:
            raise PassMarkRequired("pass_mark")
    else:
        for name in ("pass_mark", "max_attempts"):
            if checked[name] is not None:
                raise OnlyForTests(name)
        if checked["final"]:
            raise OnlyForTests("final")
    return checked


def _counts_for_rule(lesson: Mapping[str, Any]) -> bool:
    return bool(lesson["required"] or lesson["final"])


async def _refuse_second_final(course_id: uuid.UUID, lesson_id: uuid.UUID) -> None:
    other = await Lesson.raw(
        "SELECT 1 FROM course_lesson WHERE course = {} AND final AND id <> {}",
        course_id,
        lesson_id,
    )
    if other:
        raise FinalTestTaken().at("final")


def _final_taken(error: asyncpg.UniqueViolationError) -> bool:
    return getattr(error, "constraint_name", None) == _FINAL_INDEX


async def _lesson_record_by_id(course_id: uuid.UUID, lesson_id: uuid.UUID) -> LessonRecord:
    row = await lesson_row(course_id, lesson_id)
    questions = (
        await catalogue_parts.questions_of([lesson_id])
        if row["kind"] == LessonKind.TEST.value
        else {}
    )
    return lesson_record(row, questions.get(lesson_id, []))


async def create_lesson(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, data: LessonCreate
) -> LessonRecord:
    """A new lesson at the end of the module; a required one (or a final test) changes the
    completion rule."""
    fields = check_lesson(data.kind, msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await module_row(course["id"], module_id)
        lesson_id = uuid.uuid4()
        if fields["final"]:
            await _refuse_second_final(course["id"], lesson_id)
        position = await next_position("course_lesson", "module", module_id)
        try:
            await Lesson.insert(
                Lesson(
                    id=lesson_id,
                    course=course["id"],
                    module=module_id,
                    position=position,
                    kind=data.kind.value,
                    updated_at=now(),
                    **fields,
                )
            )
        except asyncpg.UniqueViolationError as error:
            if _final_taken(error):
                raise FinalTestTaken().at("final") from error
            raise
        if _counts_for_rule(fields):
            await raise_rule_version(course, actor_id)
        after = {**fields, "kind": data.kind.value, "module": module_id, "position": position}
        await record_change(actor_id, "course_lesson.create", lesson_id, None, after)
    return await _lesson_record_by_id(course["id"], lesson_id)


async def update_lesson(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, changes: Mapping[str, Any]
) -> LessonRecord:
    """Change a lesson (its kind stays); `module_id` moves it to the end of another module."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await lesson_row(course["id"], lesson_id)
        fields = check_lesson(LessonKind(row["kind"]), {**row, **changes})
        changed = {name: value for name, value in fields.items() if row[name] != value}
        target = changes.get("module_id")
        if target is not None and target != row["module"]:
            await module_row(course["id"], target)
            changed["module"] = target
            changed["position"] = await next_position("course_lesson", "module", target)
        if not changed:
            return await _lesson_record_by_id(course["id"], lesson_id)
        if changed.get("final"):
            await _refuse_second_final(course["id"], lesson_id)
        try:
            await Lesson.update(
                {
                    getattr(Lesson, name): value
                    for name, value in {**changed, "updated_at": now()}.items()
                }
            ).where(Lesson.id == lesson_id)
        except asyncpg.UniqueViolationError as error:
            if _final_taken(error):
                raise FinalTestTaken().at("final") from error
            raise
        if RULE_FIELDS & changed.keys():
            await raise_rule_version(course, actor_id)
        await record_change(actor_id, "course_lesson.update", lesson_id, row, {**row, **changed})
    return await _lesson_record_by_id(course["id"], lesson_id)


async def delete_lesson(actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID) -> None:
    """Remove a lesson (and learners' progress on it); a required one or the final test
    changes the completion rule."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await lesson_row(course["id"], lesson_id)
        await Lesson.delete().where(Lesson.id == lesson_id)
        if _counts_for_rule(row):
            await raise_rule_version(course, actor_id)
        await record_change(actor_id, "course_lesson.delete", lesson_id, row, None)


async def reorder_lessons(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, order: NewOrder
) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await module_row(course["id"], module_id)
        before = await reorder_children("course_lesson", "module", module_id, order)
        await record_change(
            actor_id,
            "course_module.reorder_lessons",
            module_id,
            {"lesson_ids": before},
            {"lesson_ids": list(order.ids)},
        )
    return await course_structure(course)
