"""Building courses through the catalogue's API in tests, as a provider does."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.support.organizers import Organizer


def course_body(organization_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    """A valid draft course of the provider, with `changes` on top."""
    return {
        "organization_id": str(organization_id),
        "slug": f"course-{uuid.uuid4().hex[:10]}",
        "title_kk": "Жасанды интеллект негіздері",
        "title_ru": "Основы искусственного интеллекта",
        "title_en": "Foundations of artificial intelligence",
        "summary_en": "What AI is and how to use it safely.",
        "level": "beginner",
        "audiences": ["general-public"],
        "languages": ["kk", "ru"],
        "format": "self-paced",
        "duration_hours": 12,
        **changes,
    }


async def create_course(
    client: httpx.AsyncClient, provider: Organizer, **changes: Any
) -> dict[str, Any]:
    response = await client.post(
        "/courses", json=course_body(provider.organization_id, **changes), headers=provider.headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def publish_course(
    client: httpx.AsyncClient, provider: Organizer, course: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(f"/courses/{course['id']}/publish", headers=provider.headers)
    assert response.status_code == 200, response.text
    published: dict[str, Any] = response.json()
    return published


async def add_module(
    client: httpx.AsyncClient, provider: Organizer, course: dict[str, Any], title: str = "Module"
) -> dict[str, Any]:
    response = await client.post(
        f"/courses/{course['id']}/modules", json={"title_en": title}, headers=provider.headers
    )
    assert response.status_code == 201, response.text
    module: dict[str, Any] = response.json()
    return module


async def add_lesson(
    client: httpx.AsyncClient,
    provider: Organizer,
    course: dict[str, Any],
    module: dict[str, Any],
    **fields: Any,
) -> dict[str, Any]:
    body = {"kind": "text", "title_en": "A lesson", "body_en": "Read this.", **fields}
    response = await client.post(
        f"/courses/{course['id']}/modules/{module['id']}/lessons",
        json=body,
        headers=provider.headers,
    )
    assert response.status_code == 201, response.text
    lesson: dict[str, Any] = response.json()
    return lesson


def question_body(text: str = "What is AI?", **changes: Any) -> dict[str, Any]:
    return {
        "text_kk": f"{text} (kk)",
        "text_ru": f"{text} (ru)",
        "text_en": text,
        "options": [
            {"text_en": "Systems that learn from data", "correct": True},
            {"text_en": "A kind of potato", "correct": False},
        ],
        **changes,
    }


async def add_question(
    client: httpx.AsyncClient,
    provider: Organizer,
    course: dict[str, Any],
    lesson: dict[str, Any],
    **changes: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"/courses/{course['id']}/lessons/{lesson['id']}/questions",
        json=question_body(**changes),
        headers=provider.headers,
    )
    assert response.status_code == 201, response.text
    question: dict[str, Any] = response.json()
    return question


async def rule_version(client: httpx.AsyncClient, provider: Organizer, course_id: str) -> int:
    response = await client.get(f"/courses/{course_id}/structure", headers=provider.headers)
    assert response.status_code == 200, response.text
    version: int = response.json()["course"]["rule_version"]
    return version
