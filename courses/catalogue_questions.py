"""The catalogue's rules for a test's multiple-choice questions: texts in three languages, two
options at least with one correct at least, in order. The correct options reach providers and
the grading only (a question changes no completion rule: scores already kept stay as they were)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import msgspec

from courses import access, catalogue_parts
from courses.catalogue_errors import (
    CourseTextRequired,
    NoCorrectOption,
    NotATest,
    TooFewOptions,
)
from courses.catalogue_parts import (
    course_structure,
    lesson_row,
    next_position,
    question_row,
    record_change,
    reorder_children,
    texts_of,
)
from courses.catalogue_schemas import (
    CourseStructure,
    NewOrder,
    OptionFields,
    QuestionFields,
    QuestionRecord,
)
from courses.enums import LessonKind
from courses.tables import Question, QuestionOption
from year2026.db import get_engine

QUESTION_TEXTS: tuple[str, ...] = ("text_kk", "text_ru", "text_en")
MIN_OPTIONS = 2


def check_question(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A question's texts and options, checked: a text in some language, at least two options
    each with a text, at least one of them correct."""
    texts = texts_of(values, QUESTION_TEXTS)
    if not any(texts.values()):
        raise CourseTextRequired("text_kk")
    options: list[OptionFields] = values["options"]
    if len(options) < MIN_OPTIONS:
        raise TooFewOptions("options", least=MIN_OPTIONS)
    checked = []
    for option in options:
        option_texts = texts_of(msgspec.structs.asdict(option), QUESTION_TEXTS)
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
    return next(
        q
        for q in (await catalogue_parts.questions_of([lesson_id]))[lesson_id]
        if q.id == question_id
    )


async def create_question(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, data: QuestionFields
) -> QuestionRecord:
    """A new question at the end of a test."""
    texts, options = check_question(msgspec.structs.asdict(data))
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        lesson = await lesson_row(course["id"], lesson_id)
        if lesson["kind"] != LessonKind.TEST.value:
            raise NotATest
        question_id = uuid.uuid4()
        position = await next_position("course_question", "lesson", lesson_id)
        await Question.insert(
            Question(id=question_id, lesson=lesson_id, position=position, **texts)
        )
        await _replace_options(question_id, options)
        after = {**texts, "lesson": lesson_id, "position": position, "options": options}
        await record_change(actor_id, "course_question.create", question_id, None, after)
    return await _question_record_by_id(question_id, lesson_id)


async def update_question(
    actor_id: uuid.UUID, reference: str, question_id: uuid.UUID, changes: Mapping[str, Any]
) -> QuestionRecord:
    """Change a question's texts, or replace its options."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        row = await question_row(course["id"], question_id)
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
        await record_change(
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
        row = await question_row(course["id"], question_id)
        await Question.delete().where(Question.id == question_id)
        await record_change(actor_id, "course_question.delete", question_id, row, None)


async def reorder_questions(
    actor_id: uuid.UUID, reference: str, lesson_id: uuid.UUID, order: NewOrder
) -> CourseStructure:
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, reference)
        await lesson_row(course["id"], lesson_id)
        before = await reorder_children("course_question", "lesson", lesson_id, order)
        await record_change(
            actor_id,
            "course_lesson.reorder_questions",
            lesson_id,
            {"question_ids": before},
            {"question_ids": list(order.ids)},
        )
    return await course_structure(course)
