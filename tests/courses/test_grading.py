"""Tests inside courses are graded by the service: one point per question whose chosen options are
exactly the right ones, the score rounded down, attempts limited (also when two land at once),
the best score kept, and the answers told only after submission."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import pytest

from courses import grading
from courses.enums import CourseFormat
from courses.progress_errors import UnknownOption, UnknownQuestion
from tests.support import courses
from tests.support.http import assert_problem
from tests.support.learning import a_learner, a_test_lesson, submit, together
from tests.support.organizers import Organizer
from year2026.settings import Settings


def question(right: int, wrong: int) -> grading.GradedQuestion:
    rights = [uuid.uuid4() for _ in range(right)]
    return grading.GradedQuestion(
        id=uuid.uuid4(),
        option_ids=frozenset([*rights, *(uuid.uuid4() for _ in range(wrong))]),
        right_ids=frozenset(rights),
    )


def test_grade_counts_a_point_only_for_exactly_the_right_set() -> None:
    single, multiple, left_out = question(1, 2), question(2, 1), question(1, 1)
    wrong = next(iter(multiple.option_ids - multiple.right_ids))
    answers = {str(single.id): list(single.right_ids), str(multiple.id): [*multiple.right_ids]}
    assert grading.grade([single, multiple, left_out], answers, 66).score == 66
    assert grading.grade([single, multiple, left_out], answers, 67).passed is False
    partly = {str(multiple.id): [next(iter(multiple.right_ids))]}
    too_many = {str(multiple.id): [*multiple.right_ids, wrong]}
    for answer in (partly, too_many, {str(multiple.id): []}):
        assert grading.grade([multiple], answer, 1).marks == {multiple.id: False}
    both_twice = {str(multiple.id): [*multiple.right_ids, *multiple.right_ids]}
    assert grading.grade([multiple], both_twice, 100).passed is True


def test_grade_names_the_answer_that_names_no_question_or_option_of_the_test() -> None:
    single, other = question(1, 1), question(1, 1)
    with pytest.raises(UnknownQuestion) as unknown:
        grading.grade([single], {str(other.id): list(other.right_ids)}, 50)
    assert unknown.value.field == f"answers.{other.id}"
    with pytest.raises(UnknownQuestion) as garbage:
        grading.grade([single], {"not-a-question": []}, 50)
    assert garbage.value.field == "answers.not-a-question"
    with pytest.raises(UnknownOption) as option:
        grading.grade([single], {str(single.id): list(other.right_ids)}, 50)
    assert option.value.field == f"answers.{single.id}"


async def test_an_attempt_is_graded_and_says_which_answers_were_right(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, question_count=3, pass_mark=60
    )
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    first, second, third = course.questions
    response = await submit(client, learner, course.test_id, course.answers(2))
    assert response.status_code == 201, response.text
    assert response.json() == {
        "lesson_id": str(course.test_id),
        "number": 1,
        "points": 2,
        "max_points": 3,
        "score": 66,
        "passed": True,
        "best_score": 66,
        "attempts_left": 2,
        "answers": [
            {"question_id": str(first.id), "right": True},
            {"question_id": str(second.id), "right": True},
            {"question_id": str(third.id), "right": False},
        ],
        "course_completed_at": None,  # its text and video lessons are not done
    }
    left_out = await submit(client, learner, course.test_id, {})
    assert (left_out.json()["score"], left_out.json()["passed"]) == (0, False)
    assert left_out.json()["best_score"] == 66


async def test_a_question_with_several_right_options_needs_all_of_them_and_no_other(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    quiz_id, [multiple] = await a_test_lesson(course, [[True, False, True]], pass_mark=100)
    learner = await a_learner(settings, course)
    a, b, c = (str(option) for option in multiple.option_ids)
    outcomes = []
    for chosen in ([a], [a, b, c], [c, a], [a, c, a]):
        answered = await submit(client, learner, quiz_id, {str(multiple.id): chosen})
        outcomes.append((answered.json()["score"], answered.json()["passed"]))
    assert outcomes == [(0, False), (0, False), (100, True), (100, True)]


async def test_unknown_questions_and_options_are_refused_naming_the_answer(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    stranger = str(uuid.uuid4())
    unknown = await submit(client, learner, course.test_id, {stranger: []})
    body = assert_problem(unknown, 422, "unknown-question")
    assert [error["field"] for error in body["errors"]] == [f"answers.{stranger}"]
    asked = course.questions[0]
    bad_option = await submit(client, learner, course.test_id, {str(asked.id): [stranger]})
    body = assert_problem(bad_option, 422, "unknown-option")
    assert [error["field"] for error in body["errors"]] == [f"answers.{asked.id}"]
    shown = await client.get(learner.lesson_path(course.test_id), headers=learner.headers)
    assert shown.json()["test"]["attempts_used"] == 0  # refused attempts are not counted


async def test_a_lesson_that_is_not_a_test_takes_no_answers(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    refused = await submit(client, learner, course.lesson_ids[0], {})
    assert_problem(refused, 409, "lesson-not-a-test")


async def test_attempts_are_limited_and_the_best_score_is_kept(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, max_attempts=2
    )
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    best = await submit(client, learner, course.test_id, course.answers(2))
    worse = await submit(client, learner, course.test_id, course.answers(0))
    assert [(r.json()["score"], r.json()["best_score"]) for r in (best, worse)] == [
        (100, 100),
        (0, 100),
    ]
    assert worse.json()["attempts_left"] == 0
    refused = assert_problem(
        await submit(client, learner, course.test_id, course.answers(2)), 409, "no-attempts-left"
    )
    assert refused["detail"] == "Бұл тестке берілген 2 әрекеттің бәрі пайдаланылды."
    shown = (await client.get(learner.lesson_path(course.test_id), headers=learner.headers)).json()
    assert shown["done_at"] is not None
    assert {key: shown["test"][key] for key in ("attempts_used", "attempts_left")} == {
        "attempts_used": 2,
        "attempts_left": 0,
    }
    assert (shown["test"]["best_score"], shown["test"]["passed"]) == (100, True)


async def test_two_last_attempts_at_once_one_is_accepted_and_one_refused(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, max_attempts=2
    )
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    assert (await submit(client, learner, course.test_id, course.answers(0))).status_code == 201
    answers = await together(
        settings,
        learner.enrolment_id,
        [submit(client, learner, course.test_id, course.answers(n)) for n in (1, 2)],
    )
    statuses = sorted(
        answer.status_code for answer in answers if isinstance(answer, httpx.Response)
    )
    assert statuses == [201, 409]
    assert await attempt_numbers(settings, learner.enrolment_id) == [1, 2]


async def attempt_numbers(settings: Settings, enrolment_id: uuid.UUID) -> list[int]:
    connection = await asyncpg.connect(settings.effective_database_url)
    try:
        rows = await connection.fetch(
            "SELECT number FROM course_test_attempt WHERE enrolment = $1 ORDER BY number",
            enrolment_id,
        )
    finally:
        await connection.close()
    return [row["number"] for row in rows]


async def test_negative_control_without_the_enrolments_lock_the_unique_number_decides(
    clean_state: Settings, provider: Organizer
) -> None:
    """Two submissions that each count one attempt used before numbering theirs (as they would
    without the enrolment's lock) both take number 2: the unique (enrolment, lesson, number)
    lets the first commit and refuses the second, so the limit holds even then."""
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(clean_state, course)
    first = await asyncpg.connect(clean_state.effective_database_url)
    second = await asyncpg.connect(clean_state.effective_database_url)
    insert = (
        "INSERT INTO course_test_attempt (id, enrolment, lesson, number, answers, correct,"
        " total, score, passed, submitted_at) VALUES ($1, $2, $3, 2, '{}', 0, 2, 0, false, now())"
    )
    try:
        await first.execute("BEGIN")
        await second.execute("BEGIN")
        for connection in (first, second):
            used = await connection.fetchval(
                "SELECT count(*) FROM course_test_attempt WHERE enrolment = $1",
                learner.enrolment_id,
            )
            assert used == 0  # neither sees the other's attempt
        await first.execute(insert, uuid.uuid4(), learner.enrolment_id, course.test_id)
        blocked = asyncio.ensure_future(
            second.execute(insert, uuid.uuid4(), learner.enrolment_id, course.test_id)
        )
        await asyncio.sleep(0.1)
        assert not blocked.done()  # it waits for the first's number
        await first.execute("COMMIT")
        with pytest.raises(asyncpg.UniqueViolationError) as caught:
            await blocked
        assert caught.value.constraint_name == "course_test_attempt_number_once"
    finally:
        await first.close()
        await second.close()
