"""Grading a test: one point per question whose chosen options are exactly its right ones, the
score the percent of the points rounded down, passed at the pass mark. Pure: the questions come
from the database, the answers from the learner; what is checked here is that every answer names
a question of this test and options of that question."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from courses.progress_errors import UnknownOption, UnknownQuestion


@dataclass(frozen=True)
class GradedQuestion:
    """A question of the test, with all its options and the right ones."""

    id: uuid.UUID
    option_ids: frozenset[uuid.UUID]
    right_ids: frozenset[uuid.UUID]


@dataclass(frozen=True)
class Grade:
    #: the answers as stored: question id → the chosen option ids, sorted
    answers: dict[str, list[str]]
    #: question id → whether it earned its point, in the test's order
    marks: dict[uuid.UUID, bool]
    points: int
    max_points: int
    score: int
    passed: bool


def _question_id(key: str, known: Mapping[uuid.UUID, GradedQuestion]) -> uuid.UUID:
    field = f"answers.{key[:80]}"
    try:
        question_id = uuid.UUID(key)
    except ValueError:
        raise UnknownQuestion().at(field) from None
    if question_id not in known:
        raise UnknownQuestion().at(field)
    return question_id


def grade(
    questions: Sequence[GradedQuestion], answers: Mapping[str, Sequence[uuid.UUID]], pass_mark: int
) -> Grade:
    """The grade of `answers` (question id text → chosen option ids) to the test of `questions`
    (in its order); an answer naming no question of it, or an option not of its question, is
    refused with the answer's field named."""
    known = {question.id: question for question in questions}
    chosen: dict[uuid.UUID, frozenset[uuid.UUID]] = {}
    for key, option_ids in answers.items():
        question_id = _question_id(key, known)
        picked = frozenset(option_ids)
        if not picked <= known[question_id].option_ids:
            raise UnknownOption().at(f"answers.{question_id}")
        chosen[question_id] = picked
    # a question left out earns nothing, even one with no right option
    marks = {question.id: chosen.get(question.id) == question.right_ids for question in questions}
    points, max_points = sum(marks.values()), len(questions)
    score = points * 100 // max_points if max_points else 0
    return Grade(
        answers={
            str(question_id): sorted(str(option) for option in picked)
            for question_id, picked in chosen.items()
        },
        marks=marks,
        points=points,
        max_points=max_points,
        score=score,
        passed=score >= pass_mark,
    )
