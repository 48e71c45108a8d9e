"""A course's structure over HTTP: modules and lessons in order, tests and their questions, one
final test per course, the completion rule's version raised exactly when the rule changes, the
provider's view with the answers, and a public page that never carries a question."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.support import organizers
from tests.support.catalogue import (
    add_lesson,
    add_module,
    add_question,
    create_course,
    publish_course,
    question_body,
    rule_version,
)
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings


async def _structure(client: httpx.AsyncClient, provider: Organizer, course: dict[str, Any]) -> Any:
    response = await client.get(f"/courses/{course['id']}/structure", headers=provider.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _lesson_ids(structure: dict[str, Any]) -> list[list[str]]:
    return [[lesson["id"] for lesson in module["lessons"]] for module in structure["modules"]]


# --- modules and lessons in order -------------------------------------------------------------


async def test_lessons_come_in_module_order_and_can_be_reordered(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    first = await add_module(client, provider, course, "First")
    second = await add_module(client, provider, course, "Second")
    a = await add_lesson(client, provider, course, first, title_en="A")
    b = await add_lesson(client, provider, course, first, title_en="B", kind="video",
                         video_url="https://video.example.kz/b", body_en="")  # fmt: skip
    c = await add_lesson(client, provider, course, second, title_en="C")
    assert (first["position"], second["position"], a["position"], b["position"]) == (0, 1, 0, 1)

    modules = await client.put(
        f"/courses/{course['id']}/module-order",
        json={"ids": [second["id"], first["id"]]},
        headers=provider.headers,
    )
    assert _lesson_ids(modules.json()) == [[c["id"]], [a["id"], b["id"]]]
    lessons = await client.put(
        f"/courses/{course['id']}/modules/{first['id']}/lesson-order",
        json={"ids": [b["id"], a["id"]]},
        headers=provider.headers,
    )
    assert _lesson_ids(lessons.json()) == [[c["id"]], [b["id"], a["id"]]]
    moved = await client.patch(
        f"/courses/{course['id']}/lessons/{b['id']}",
        json={"module_id": second["id"]},
        headers=provider.headers,
    )
    assert (moved.json()["module_id"], moved.json()["position"]) == (second["id"], 1)
    assert _lesson_ids(await _structure(client, provider, course)) == [
        [c["id"], b["id"]],
        [a["id"]],
    ]
    page = (await client.get(f"/courses/{course['id']}", headers=provider.headers)).json()
    assert [[lesson["title"]["text"] for lesson in m["lessons"]] for m in page["modules"]] == [
        ["C", "B"],
        ["A"],
    ]

    mismatch = await client.put(
        f"/courses/{course['id']}/module-order",
        json={"ids": [first["id"], first["id"]]},
        headers=provider.headers,
    )
    assert_problem(mismatch, 422, "course-order-mismatch")


async def test_lesson_record_has_every_field(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    test = await add_lesson(
        client, provider, course, module, kind="test", title_kk="Тест", body_en="Good luck.",
        pass_mark=70, max_attempts=2, final=True, duration_minutes=15, required=False,
    )  # fmt: skip

    assert test == {
        "id": test["id"],
        "module_id": module["id"],
        "position": 0,
        "kind": "test",
        "title_kk": "Тест",
        "title_ru": "",
        "title_en": "A lesson",
        "body_kk": "",
        "body_ru": "",
        "body_en": "Good luck.",
        "video_url": "",
        "duration_minutes": 15,
        "required": False,
        "pass_mark": 70,
        "max_attempts": 2,
        "final": True,
        "questions": [],
    }


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"kind": "video", "video_url": ""}, "video_url", "course-video-link-required"),
        ({"kind": "test"}, "pass_mark", "course-pass-mark-required"),
        ({"kind": "text", "pass_mark": 50}, "pass_mark", "course-only-for-tests"),
        ({"kind": "text", "max_attempts": 3}, "max_attempts", "course-only-for-tests"),
        ({"kind": "video", "video_url": "https://v.kz/x", "final": True}, "final",
         "course-only-for-tests"),
        ({"title_en": ""}, "title_kk", "course-title-required"),
    ],
)  # fmt: skip
async def test_bad_lesson_fields_are_422_naming_the_field(
    client: httpx.AsyncClient,
    provider: Organizer,
    fields: dict[str, Any],
    field: str,
    code: str,
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)

    response = await client.post(
        f"/courses/{course['id']}/modules/{module['id']}/lessons",
        json={"kind": "text", "title_en": "A lesson", **fields},
        headers=provider.headers,
    )

    body = assert_problem(response, 422, code)
    assert [error["field"] for error in body["errors"]] == [field]
    assert _lesson_ids(await _structure(client, provider, course)) == [[]]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "test", "pass_mark": 101},
        {"kind": "test", "pass_mark": 50, "max_attempts": 0},
        {"kind": "video", "video_url": "javascript:alert(1)"},
        {"kind": "quiz"},
    ],
)
async def test_out_of_range_lesson_fields_are_400(
    client: httpx.AsyncClient, provider: Organizer, fields: dict[str, Any]
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    response = await client.post(
        f"/courses/{course['id']}/modules/{module['id']}/lessons",
        json={"title_en": "A lesson", **fields},
        headers=provider.headers,
    )
    assert_problem(response, 400)


# --- one final test per course ------------------------------------------------------------------


async def test_a_course_has_at_most_one_final_test(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    final = await add_lesson(
        client, provider, course, module, kind="test", pass_mark=50, final=True
    )
    other = await add_lesson(client, provider, course, module, kind="test", pass_mark=50)
    lessons = f"/courses/{course['id']}/modules/{module['id']}/lessons"

    second = await client.post(
        lessons, json={"kind": "test", "title_en": "T", "pass_mark": 50, "final": True},
        headers=provider.headers,
    )  # fmt: skip
    marked = await client.patch(
        f"/courses/{course['id']}/lessons/{other['id']}",
        json={"final": True},
        headers=provider.headers,
    )
    for response in (second, marked):
        body = assert_problem(response, 409, "course-final-test-taken")
        assert [error["field"] for error in body["errors"]] == ["final"]

    # unmarked first, the other may be the final one
    await client.patch(
        f"/courses/{course['id']}/lessons/{final['id']}", json={"final": False},
        headers=provider.headers,
    )  # fmt: skip
    swapped = await client.patch(
        f"/courses/{course['id']}/lessons/{other['id']}",
        json={"final": True},
        headers=provider.headers,
    )
    assert swapped.json()["final"] is True


async def test_two_final_tests_at_once_make_one_final_test(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    lessons = f"/courses/{course['id']}/modules/{module['id']}/lessons"
    body = {"kind": "test", "title_en": "Final", "pass_mark": 60, "final": True}

    responses = await asyncio.gather(
        *(client.post(lessons, json=body, headers=provider.headers) for _ in range(4))
    )

    assert sorted(response.status_code for response in responses) == [201, 409, 409, 409]
    structure = await _structure(client, provider, course)
    assert [lesson["final"] for lesson in structure["modules"][0]["lessons"]] == [True]


# --- questions ---------------------------------------------------------------------------------


async def test_questions_keep_their_options_and_answers_for_the_provider(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    test = await add_lesson(client, provider, course, module, kind="test", pass_mark=50)
    question = await add_question(client, provider, course, test)

    assert question == {
        "id": question["id"],
        "lesson_id": test["id"],
        "position": 0,
        "text_kk": "What is AI? (kk)",
        "text_ru": "What is AI? (ru)",
        "text_en": "What is AI?",
        "options": [
            {
                "id": question["options"][0]["id"],
                "text_kk": "",
                "text_ru": "",
                "text_en": "Systems that learn from data",
                "correct": True,
            },
            {
                "id": question["options"][1]["id"],
                "text_kk": "",
                "text_ru": "",
                "text_en": "A kind of potato",
                "correct": False,
            },
        ],
    }
    changed = await client.patch(
        f"/courses/{course['id']}/questions/{question['id']}",
        json={"text_en": "What is ML?", "options": [
            {"text_ru": "Обучение на данных", "correct": True},
            {"text_ru": "Картошка", "correct": True},
            {"text_ru": "Ничего", "correct": False},
        ]},
        headers=provider.headers,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert [(o["text_ru"], o["correct"]) for o in changed.json()["options"]] == [
        ("Обучение на данных", True),
        ("Картошка", True),
        ("Ничего", False),
    ]
    renamed = await client.patch(
        f"/courses/{course['id']}/questions/{question['id']}",
        json={"text_kk": "ML деген не?"},
        headers=provider.headers,
    )
    assert renamed.json() == {**changed.json(), "text_kk": "ML деген не?"}
    structure = await _structure(client, provider, course)
    assert structure["modules"][0]["lessons"][0]["questions"] == [renamed.json()]

    second = await add_question(client, provider, course, test, text="Second?")
    reordered = await client.put(
        f"/courses/{course['id']}/lessons/{test['id']}/question-order",
        json={"ids": [second["id"], question["id"]]},
        headers=provider.headers,
    )
    questions = reordered.json()["modules"][0]["lessons"][0]["questions"]
    assert [q["id"] for q in questions] == [second["id"], question["id"]]
    deleted = await client.delete(
        f"/courses/{course['id']}/questions/{second['id']}", headers=provider.headers
    )
    assert deleted.status_code == 204
    structure = await _structure(client, provider, course)
    assert [q["id"] for q in structure["modules"][0]["lessons"][0]["questions"]] == [question["id"]]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"options": [{"text_en": "Only", "correct": True}]}, "options",
         "course-too-few-options"),
        ({"options": [{"text_en": "A"}, {"text_en": "B"}]}, "options",
         "course-no-correct-option"),
        ({"options": [{"text_en": "A", "correct": True}, {"text_en": " "}]}, "options",
         "course-text-required"),
        ({"text_kk": "", "text_ru": "", "text_en": ""}, "text_kk", "course-text-required"),
    ],
)  # fmt: skip
async def test_bad_questions_are_422_naming_the_field(
    client: httpx.AsyncClient,
    provider: Organizer,
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    test = await add_lesson(client, provider, course, module, kind="test", pass_mark=50)

    response = await client.post(
        f"/courses/{course['id']}/lessons/{test['id']}/questions",
        json=question_body(**changes),
        headers=provider.headers,
    )

    body = assert_problem(response, 422, code)
    assert [error["field"] for error in body["errors"]] == [field]


async def test_questions_belong_to_tests_only(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    text = await add_lesson(client, provider, course, module)
    response = await client.post(
        f"/courses/{course['id']}/lessons/{text['id']}/questions",
        json=question_body(),
        headers=provider.headers,
    )
    assert_problem(response, 409, "course-lesson-not-a-test")


async def test_parts_of_another_course_are_not_found(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    other = await create_course(client, provider)
    module = await add_module(client, provider, other)
    lesson = await add_lesson(client, provider, other, module, kind="test", pass_mark=10)
    question = await add_question(client, provider, other, lesson)
    base = f"/courses/{course['id']}"

    for response, code in (
        (await client.patch(f"{base}/modules/{module['id']}", json={"title_en": "x"},
                            headers=provider.headers), "course-module-not-found"),
        (await client.post(f"{base}/modules/{module['id']}/lessons",
                           json={"kind": "text", "title_en": "x"}, headers=provider.headers),
         "course-module-not-found"),
        (await client.delete(f"{base}/lessons/{lesson['id']}", headers=provider.headers),
         "lesson-not-found"),
        (await client.delete(f"{base}/questions/{question['id']}", headers=provider.headers),
         "course-question-not-found"),
        (await client.delete(f"{base}/modules/{uuid.uuid4()}", headers=provider.headers),
         "course-module-not-found"),
    ):  # fmt: skip
        assert_problem(response, 404, code)


async def test_structure_is_its_providers_only(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    other = await organizers.organizer(settings, await organizers.organization("Other"))
    course = await publish_course(client, provider, await create_course(client, provider))
    module = await add_module(client, provider, course)

    assert_problem(
        await client.post(
            f"/courses/{course['id']}/modules", json={"title_en": "x"}, headers=other.headers
        ),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.delete(f"/courses/{course['id']}/modules/{module['id']}",
                            headers=other.headers),
        403,
        "not-a-member",
    )  # fmt: skip
    assert_problem(await client.get(f"/courses/{course['id']}/structure"), 401)


# --- the completion rule's version -----------------------------------------------------------


async def test_rule_version_rises_exactly_when_the_completion_rule_changes(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await publish_course(client, provider, await create_course(client, provider))
    module = await add_module(client, provider, course)
    course_id = course["id"]
    lessons = f"/courses/{course_id}/lessons"
    versions = [await rule_version(client, provider, course_id)]

    async def step(action: Any) -> None:
        response = await action
        assert response.status_code < 300, response.text
        versions.append(await rule_version(client, provider, course_id))

    optional = await add_lesson(client, provider, course, module, required=False)
    versions.append(await rule_version(client, provider, course_id))  # not counted: same
    required = await add_lesson(client, provider, course, module)
    versions.append(await rule_version(client, provider, course_id))  # +1
    test = await add_lesson(client, provider, course, module, kind="test", pass_mark=50,
                            required=False)  # fmt: skip
    versions.append(await rule_version(client, provider, course_id))  # same
    patch = client.patch
    h = provider.headers
    await step(patch(f"{lessons}/{required['id']}", json={"title_en": "Renamed"}, headers=h))
    await step(patch(f"{lessons}/{required['id']}", json={"duration_minutes": 9}, headers=h))
    await step(patch(f"{lessons}/{optional['id']}", json={"required": True}, headers=h))  # +1
    await step(patch(f"{lessons}/{test['id']}", json={"pass_mark": 70}, headers=h))  # +1
    await step(patch(f"{lessons}/{test['id']}", json={"final": True}, headers=h))  # +1
    await step(patch(f"{lessons}/{test['id']}", json={"max_attempts": 5}, headers=h))
    await step(client.post(f"{lessons}/{test['id']}/questions", json=question_body(), headers=h))
    await step(patch(f"/courses/{course_id}/modules/{module['id']}", json={"title_en": "M"},
                     headers=h))  # fmt: skip
    await step(patch(f"/courses/{course_id}", json={"title_en": "Course"}, headers=h))
    await step(client.delete(f"{lessons}/{required['id']}", headers=h))  # +1
    await step(client.delete(f"/courses/{course_id}/modules/{module['id']}", headers=h))  # +1
    empty = await add_module(client, provider, course)
    await step(client.delete(f"/courses/{course_id}/modules/{empty['id']}", headers=h))

    assert versions == [1, 1, 2, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 6, 7, 7]
    entries = await AuditEntry.select(AuditEntry.after).where(
        (AuditEntry.object_id == course_id) & (AuditEntry.action == "course.rule_change")
    ).order_by(AuditEntry.id)  # fmt: skip
    assert [entry["after"] for entry in entries] == [
        f'{{"rule_version": {version}}}' for version in range(2, 8)
    ]


async def test_structure_changes_are_audited(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    lesson = await add_lesson(client, provider, course, module, kind="test", pass_mark=40,
                              required=False)  # fmt: skip
    question = await add_question(client, provider, course, lesson)
    h = provider.headers
    await client.patch(f"/courses/{course['id']}/questions/{question['id']}",
                       json={"text_en": "Why?"}, headers=h)  # fmt: skip
    await client.delete(f"/courses/{course['id']}/lessons/{lesson['id']}", headers=h)

    entries = await AuditEntry.select(
        AuditEntry.action, AuditEntry.object_id, AuditEntry.actor
    ).order_by(AuditEntry.id)
    actor = provider.person.person_id
    structure_entries = [
        (e["action"], e["object_id"], e["actor"])
        for e in entries
        if e["action"].startswith("course_")
    ]
    assert structure_entries == [
        ("course_module.create", module["id"], actor),
        ("course_lesson.create", lesson["id"], actor),
        ("course_question.create", question["id"], actor),
        ("course_question.update", question["id"], actor),
        ("course_lesson.delete", lesson["id"], actor),
    ]


# --- the public page never carries a question ---------------------------------------------------


async def test_public_bodies_never_carry_questions_or_answers(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    module = await add_module(client, provider, course)
    await add_lesson(client, provider, course, module, body_en="Secret lesson body")
    test = await add_lesson(client, provider, course, module, kind="test", pass_mark=60,
                            final=True, body_en="Test introduction")  # fmt: skip
    await add_question(client, provider, course, test, text="Which is right?")
    await publish_course(client, provider, course)

    bodies = [
        (await client.get(f"/courses/{course['slug']}", params={"lang": lang})).text
        for lang in ("kk", "ru", "en")
    ]
    bodies.append((await client.get("/courses")).text)
    bodies.append((await client.get("/courses", params={"q": "Which is right"})).text)

    for text in bodies:
        for leaked in (
            "correct",
            "Which is right?",
            "Systems that learn",
            "potato",
            "options",
            "questions",
            "Secret lesson body",
            "Test introduction",
        ):
            assert leaked not in text  # fmt: skip
    page = (await client.get(f"/courses/{course['slug']}", params={"lang": "en"})).json()
    assert page["completion_rule"] == {
        "required_lessons": 2,
        "final_test": {
            "lesson_id": test["id"],
            "title": {"text": "A lesson", "language": "en"},
            "pass_mark": 60,
        },
        # one rise for each of the two required lessons
        "version": 3,
    }
