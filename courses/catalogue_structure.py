"""The catalogue's rules for a course's structure: modules and lessons in order, tests and their
multiple-choice questions, and the completion rule they make.

A published course may still be corrected. A change to the completion rule (a lesson's
`required`, a test's pass mark, which test is final, a required lesson or the final test added or
removed) raises the course's `rule_version` in the same transaction: the recompute job then
completes the enrolments the new rule lets through. Every change locks the course first and
writes its audit entry in its transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
import msgspec

from courses import access, catalogue, catalogue_queries
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
    ModuleFields,
    ModuleRecord,
    NewOrder,
    OptionFields,
    OptionRecord,
    QuestionFields,
    QuestionRecord,
)
from courses.enums import LessonKind
from courses.errors import CourseNotFound, LessonNotFound
from courses.tables import Course, CourseModule, Lesson, Question, QuestionOption
from year2026 import audit
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
QUESTION_TEXTS: tuple[str, ...] = tuple(f"text_{language}" for language in _LANGUAGES)
MIN_OPTIONS = 2
_FINAL_INDEX = "course_lesson_one_final"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _texts(values: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    return {name: str(values.get(name) or "").strip() for name in names}


# --- reading the structure ------------------------------------------------------------------


def _option_records(options_json: str) -> list[OptionRecord]:
    return msgspec.json.decode(options_json, type=list[OptionRecord])


def _question_record(row: Mapping[str, Any]) -> QuestionRecord:
    return QuestionRecord(
        id=row["id"],
        lesson_id=row["lesson"],
        position=row["position"],
        text_kk=row["text_kk"],
        text_ru=row["text_ru"],
        text_en=row["text_en"],
        options=_option_records(row["options"]),
    )


async def questions_of(lesson_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[QuestionRecord]]:
    """The questions of these tests, in order, with their options and which are correct (for
    providers and for grading; never for a learner's client before they submit)."""
    found: dict[uuid.UUID, list[QuestionRecord]] = {lesson_id: [] for lesson_id in lesson_ids}
    for row in await catalogue_queries.questions(lesson_ids):
        found[row["lesson"]].append(_question_record(row))
    return found


def _lesson_record(row: Mapping[str, Any], questions: list[QuestionRecord]) -> LessonRecord:
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
        by_module[row["module"]].append(_lesson_record(row, questions.get(row["id"], [])))
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


async def _course_structure(course: Mapping[str, Any]) -> CourseStructure:
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
    return await _course_structure(row)


# --- shared steps of a change ---------------------------------------------------------------


async def _raise_rule_version(course: Mapping[str, Any], actor_id: uuid.UUID) -> None:
    """The completion rule changed: one more version, recorded."""
    rows = await Course.raw(
        "UPDATE course SET rule_version = rule_version + 1, updated_at = {} WHERE id = {}"
        " RETURNING rule_version",
        _now(),
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


async def _module_row(course_id: uuid.UUID, module_id: uuid.UUID) -> dict[str, Any]:
    rows = await CourseModule.raw(
        "SELECT id, course, position, title_kk, title_ru, title_en FROM course_module"
        " WHERE id = {} AND course = {}",
        module_id,
        course_id,
    )
    if not rows:
        raise ModuleNotFound
    return dict(rows[0])


async def _lesson_row(course_id: uuid.UUID, lesson_id: uuid.UUID) -> dict[str, Any]:
    rows = await Lesson.raw(
        "SELECT * FROM course_lesson WHERE id = {} AND course = {}", lesson_id, course_id
    )
    if not rows:
        raise LessonNotFound
    return dict(rows[0])


async def _question_row(course_id: uuid.UUID, question_id: uuid.UUID) -> dict[str, Any]:
    rows = await Question.raw(
        "SELECT q.id, q.lesson, q.position, q.text_kk, q.text_ru, q.text_en FROM course_question q"
        " JOIN course_lesson l ON l.id = q.lesson WHERE q.id = {} AND l.course = {}",
        question_id,
        course_id,
    )
    if not rows:
        raise QuestionNotFound
    return dict(rows[0])


async def _next_position(table: str, parent: str, parent_id: uuid.UUID) -> int:
    rows = await Course.raw(
        f"SELECT COALESCE(MAX(position) + 1, 0) AS next FROM {table} WHERE {parent} = {{}}",  # noqa: S608
        parent_id,
    )
    return int(rows[0]["next"])


async def _reorder(
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


async def _record(
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


# --- modules --------------------------------------------------------------------------------


def _check_module(values: Mapping[str, Any]) -> dict[str, Any]:
    titles = _texts(values, MODULE_FIELDS)
    if not any(titles.values()):
        raise CourseTitleRequired("title_kk")
    return titles


async def _module_record(course_id: uuid.UUID, module_id: uuid.UUID) -> ModuleRecord:
    return next(module for module in await structure_of(course_id) if module.id == module_id)


async def create_module(actor_id: uuid.UUID, reference: str, data: ModuleFields) -> ModuleRecord:
    """A new module at the end of the course."""
    titles = _check_module(msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        position = await _next_position("course_module", "course", course["id"])
        module_id = uuid.uuid4()
        await CourseModule.insert(
            CourseModule(id=module_id, course=course["id"], position=position, **titles)
        )
        await _record(
            actor_id, "course_module.create", module_id, None, {**titles, "position": position}
        )
    return ModuleRecord(id=module_id, position=position, lessons=[], **titles)


async def update_module(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, changes: Mapping[str, Any]
) -> ModuleRecord:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _module_row(course["id"], module_id)
        titles = _check_module({**row, **changes})
        await CourseModule.update(
            {getattr(CourseModule, name): value for name, value in titles.items()}
        ).where(CourseModule.id == module_id)
        await _record(actor_id, "course_module.update", module_id, row, {**row, **titles})
    return await _module_record(course["id"], module_id)


async def delete_module(actor_id: uuid.UUID, reference: str, module_id: uuid.UUID) -> None:
    """Remove a module with its lessons (and their learners' progress on them)."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _module_row(course["id"], module_id)
        counted = await Lesson.raw(
            "SELECT 1 FROM course_lesson WHERE module = {} AND (required OR final) LIMIT 1",
            module_id,
        )
        await CourseModule.delete().where(CourseModule.id == module_id)
        if counted:
            await _raise_rule_version(course, actor_id)
        await _record(actor_id, "course_module.delete", module_id, row, None)


async def reorder_modules(actor_id: uuid.UUID, reference: str, order: NewOrder) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        before = await _reorder("course_module", "course", course["id"], order)
        await _record(
            actor_id,
            "course.reorder_modules",
            course["id"],
            {"module_ids": before},
            {"module_ids": list(order.ids)},
        )
    return await _course_structure(course)


# --- lessons --------------------------------------------------------------------------------


def check_lesson(kind: LessonKind, values: Mapping[str, Any]) -> dict[str, Any]:
    """A lesson's fields of its kind, checked, as columns."""
    checked: dict[str, Any] = _texts(values, LESSON_FIELDS[:6])
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
    row = await _lesson_row(course_id, lesson_id)
    questions = await questions_of([lesson_id]) if row["kind"] == LessonKind.TEST.value else {}
    return _lesson_record(row, questions.get(lesson_id, []))


async def create_lesson(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, data: LessonCreate
) -> LessonRecord:
    """A new lesson at the end of the module; a required one (or a final test) changes the
    completion rule."""
    fields = check_lesson(data.kind, msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await _module_row(course["id"], module_id)
        lesson_id = uuid.uuid4()
        if fields["final"]:
            await _refuse_second_final(course["id"], lesson_id)
        position = await _next_position("course_lesson", "module", module_id)
        try:
            await Lesson.insert(
                Lesson(
                    id=lesson_id,
                    course=course["id"],
                    module=module_id,
                    position=position,
                    kind=data.kind.value,
                    updated_at=_now(),
                    **fields,
                )
            )
        except asyncpg.UniqueViolationError as error:
            if _final_taken(error):
                raise FinalTestTaken().at("final") from error
            raise
        if _counts_for_rule(fields):
            await _raise_rule_version(course, actor_id)
        after = {**fields, "kind": data.kind.value, "module": module_id, "position": position}
        await _record(actor_id, "course_lesson.create", lesson_id, None, after)
    return await _lesson_record_by_id(course["id"], lesson_id)


async def update_lesson(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, changes: Mapping[str, Any]
) -> LessonRecord:
    """Change a lesson (its kind stays); `module_id` moves it to the end of another module."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _lesson_row(course["id"], lesson_id)
        fields = check_lesson(LessonKind(row["kind"]), {**row, **changes})
        changed = {name: value for name, value in fields.items() if row[name] != value}
        target = changes.get("module_id")
        if target is not None and target != row["module"]:
            await _module_row(course["id"], target)
            changed["module"] = target
            changed["position"] = await _next_position("course_lesson", "module", target)
        if not changed:
            return await _lesson_record_by_id(course["id"], lesson_id)
        if changed.get("final"):
            await _refuse_second_final(course["id"], lesson_id)
        try:
            await Lesson.update(
                {
                    getattr(Lesson, name): value
                    for name, value in {**changed, "updated_at": _now()}.items()
                }
            ).where(Lesson.id == lesson_id)
        except asyncpg.UniqueViolationError as error:
            if _final_taken(error):
                raise FinalTestTaken().at("final") from error
            raise
        if RULE_FIELDS & changed.keys():
            await _raise_rule_version(course, actor_id)
        await _record(actor_id, "course_lesson.update", lesson_id, row, {**row, **changed})
    return await _lesson_record_by_id(course["id"], lesson_id)


async def delete_lesson(actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID) -> None:
    """Remove a lesson (and learners' progress on it); a required one or the final test
    changes the completion rule."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _lesson_row(course["id"], lesson_id)
        await Lesson.delete().where(Lesson.id == lesson_id)
        if _counts_for_rule(row):
            await _raise_rule_version(course, actor_id)
        await _record(actor_id, "course_lesson.delete", lesson_id, row, None)


async def reorder_lessons(
    actor_id: uuid.UUID, reference: str, module_id: uuid.UUID, order: NewOrder
) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await _module_row(course["id"], module_id)
        before = await _reorder("course_lesson", "module", module_id, order)
        await _record(
            actor_id,
            "course_module.reorder_lessons",
            module_id,
            {"lesson_ids": before},
            {"lesson_ids": list(order.ids)},
        )
    return await _course_structure(course)


# --- questions ------------------------------------------------------------------------------


def check_question(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A question's texts and options, checked: a text in some language, at least two options
    each with a text, at least one of them correct."""
    texts = _texts(values, QUESTION_TEXTS)
    if not any(texts.values()):
        raise CourseTextRequired("text_kk")
    options: list[OptionFields] = values["options"]
    if len(options) < MIN_OPTIONS:
        raise TooFewOptions("options", least=MIN_OPTIONS)
    checked = []
    for option in options:
        option_texts = _texts(msgspec.structs.asdict(option), QUESTION_TEXTS)
        if not any(option_texts.values()):
            raise CourseTextRequired("options")
        checked.append({**option_texts, "correct": option.correct})
    if not any(option["correct"] for option in checked):
        raise NoCorrectOption("options")
    return texts, checked


async def _replace_options(question_id: uuid.UUID, options: list[dict[str, Any]]) -> None:
    await QuestionOption.delete().where(QuestionOption.question == question_id)
    await QuestionOption.insert(
        *(
            QuestionOption(id=uuid.uuid4(), question=question_id, position=position, **option)
            for position, option in enumerate(options)
        )
    )


async def _question_record_by_id(question_id: uuid.UUID, lesson_id: uuid.UUID) -> QuestionRecord:
    return next(q for q in (await questions_of([lesson_id]))[lesson_id] if q.id == question_id)


async def create_question(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, data: QuestionFields
) -> QuestionRecord:
    """A new question at the end of a test."""
    texts, options = check_question(msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        lesson = await _lesson_row(course["id"], lesson_id)
        if lesson["kind"] != LessonKind.TEST.value:
            raise NotATest
        question_id = uuid.uuid4()
        position = await _next_position("course_question", "lesson", lesson_id)
        await Question.insert(
            Question(id=question_id, lesson=lesson_id, position=position, **texts)
        )
        await _replace_options(question_id, options)
        after = {**texts, "lesson": lesson_id, "position": position, "options": options}
        await _record(actor_id, "course_question.create", question_id, None, after)
    return await _question_record_by_id(question_id, lesson_id)


async def update_question(
    actor_id: uuid.UUID, reference: str, question_id: uuid.UUID, changes: Mapping[str, Any]
) -> QuestionRecord:
    """Change a question's texts, or replace its options."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _question_row(course["id"], question_id)
        current = await _question_record_by_id(question_id, row["lesson"])
        old_options = [
            {name: getattr(option, name) for name in (*QUESTION_TEXTS, "correct")}
            for option in current.options
        ]
        merged = {**row, "options": [OptionFields(**option) for option in old_options], **changes}
        texts, options = check_question(merged)
        await Question.update(
            {getattr(Question, name): value for name, value in texts.items()}
        ).where(Question.id == question_id)
        if "options" in changes:
            await _replace_options(question_id, options)
        await _record(
            actor_id,
            "course_question.update",
            question_id,
            {**row, "options": old_options},
            {**row, **texts, "options": options},
        )
    return await _question_record_by_id(question_id, row["lesson"])


async def delete_question(actor_id: uuid.UUID, reference: str, question_id: uuid.UUID) -> None:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await _question_row(course["id"], question_id)
        await Question.delete().where(Question.id == question_id)
        await _record(actor_id, "course_question.delete", question_id, row, None)


async def reorder_questions(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, order: NewOrder
) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await _lesson_row(course["id"], lesson_id)
        before = await _reorder("course_question", "lesson", lesson_id, order)
        await _record(
            actor_id,
            "course_lesson.reorder_questions",
            lesson_id,
            {"question_ids": before},
            {"question_ids": list(order.ids)},
        )
    return await _course_structure(course)
