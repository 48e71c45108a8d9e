"""The public catalogue over HTTP: the listing's filters one by one, free text in Kazakh, Russian
and English, keyset pages, drafts hidden, a course's page by id and by slug with the language
fallback and its upcoming cohorts and seats, the statements a listing takes, and the demo."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from courses.demo import AI_BASICS_SLUG, DEMO_COURSES, load_demo_courses
from courses.enums import CohortStatus, CourseFormat, CourseStatus
from courses.tables import Cohort, Course
from tests.support import organizers, people
from tests.support.courses import CourseData, a_cohort, a_course, an_enrolment
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from tests.support.statements import counting_statements
from year2026.people.enums import Region
from year2026.settings import Settings


async def _listed(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/courses", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _ids(*courses: CourseData) -> list[str]:
    return [str(course.id) for course in courses]


# --- what is listed -----------------------------------------------------------------------------


async def test_listing_shows_published_courses_newest_first(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    older = await a_course(provider.organization_id)
    newer = await a_course(provider.organization_id, summary_ru="Кратко о главном.")
    draft = await a_course(provider.organization_id, status=CourseStatus.DRAFT)
    archived = await a_course(provider.organization_id, status=CourseStatus.ARCHIVED)

    response = await client.get("/courses", params={"lang": "ru"})

    assert response.json() == {
        "items": [
            {
                "id": str(newer.id),
                "slug": newer.slug,
                "status": "published",
                "organization_id": str(provider.organization_id),
                "provider": {"text": "alem.ai", "language": "ru"},
                "title": {"text": "Основы ИИ для всех", "language": "ru"},
                "summary": {"text": "Кратко о главном.", "language": "ru"},
                "level": "beginner",
                "audiences": ["general-public"],
                "languages": ["kk", "ru"],
                "format": "cohort-online",
                "duration_hours": 12,
                "published_at": newer.row["published_at"].isoformat().replace("+00:00", "Z"),
            },
            {**response.json()["items"][1], "id": str(older.id)},
        ],
        "next_cursor": None,
    }
    assert await _listed(client, status="archived") == _ids(archived)
    # drafts: for their provider's members (and admins) only
    drafts = {"status": "draft", "organization": str(provider.organization_id)}
    assert await _listed(client, **drafts) == []
    shown = await client.get("/courses", params=drafts, headers=provider.headers)
    assert [item["id"] for item in shown.json()["items"]] == _ids(draft)


@pytest.mark.parametrize(
    ("fields", "params"),
    [
        ({"level": "advanced"}, {"level": "advanced"}),
        ({"audiences": ["teachers", "students"]}, {"audience": "students"}),
        ({"languages": ["en"]}, {"language": "en"}),
        ({"format": CourseFormat.IN_PERSON}, {"format": "in-person"}),
    ],
)
async def test_each_filter_keeps_only_the_courses_that_match(
    client: httpx.AsyncClient, provider: Organizer, fields: dict[str, Any], params: dict[str, str]
) -> None:
    await a_course(provider.organization_id)  # beginner, general public, kk/ru, cohort-online
    matching = await a_course(provider.organization_id, **fields)
    assert await _listed(client, **params) == _ids(matching)


async def test_provider_filter_keeps_the_providers_courses(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    other = await organizers.organization("Astana IT University")
    theirs = await a_course(other)
    ours = await a_course(provider.organization_id)
    assert await _listed(client, organization=str(other)) == _ids(theirs)
    assert await _listed(client, organization=str(provider.organization_id)) == _ids(ours)


async def test_region_filter_keeps_courses_with_an_upcoming_cohort_there(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    now = dt.datetime.now(dt.UTC)
    in_almaty = await a_course(provider.organization_id)
    await a_cohort(in_almaty, region=Region.ALMATY)
    ended = await a_course(provider.organization_id)
    await a_cohort(
        ended, region=Region.KARAGANDA, starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=1),
    )  # fmt: skip
    cancelled = await a_course(provider.organization_id)
    await a_cohort(cancelled, region=Region.SHYMKENT, status=CohortStatus.CANCELLED.value)
    online = await a_course(provider.organization_id)
    await a_cohort(online)

    assert await _listed(client, region="almaty") == _ids(in_almaty)
    assert await _listed(client, region="karaganda") == []
    assert await _listed(client, region="shymkent") == []
    assert await _listed(client, region="astana") == []


@pytest.mark.parametrize(
    ("q", "which"),
    [
        ("негіздері", "kk"),  # Kazakh: words as written
        ("обучения", "ru"),  # Russian: stemmed, "обучение" matches
        ("learn", "en"),  # English: stemmed, "learning" matches
        ("teachers", "en"),
    ],
)
async def test_free_text_finds_courses_in_each_language(
    client: httpx.AsyncClient, provider: Organizer, q: str, which: str
) -> None:
    courses = {
        "kk": await a_course(provider.organization_id, title_kk="Жасанды интеллект негіздері",
                             title_ru="", title_en=""),
        "ru": await a_course(provider.organization_id, title_kk="", title_ru="Машинное обучение",
                             title_en=""),
        "en": await a_course(provider.organization_id, title_kk="", title_ru="",
                             title_en="Deep learning", summary_en="For teachers."),
    }  # fmt: skip
    assert await _listed(client, q=q) == _ids(courses[which])
    assert await _listed(client, q=q, order="relevance") == _ids(courses[which])


async def test_relevance_puts_title_matches_before_description_matches(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    in_title = await a_course(provider.organization_id, title_en="Prompt writing")
    in_description = await a_course(
        provider.organization_id, title_en="Office work", description_en="Some prompt tips."
    )
    await a_course(provider.organization_id, title_en="Unrelated")

    assert await _listed(client, q="prompt") == _ids(in_description, in_title)
    assert await _listed(client, q="prompt", order="relevance") == _ids(in_title, in_description)


@pytest.mark.parametrize("params", [{}, {"q": "everyone", "order": "relevance"}])
async def test_keyset_pages_go_through_every_course_once(
    client: httpx.AsyncClient, provider: Organizer, params: dict[str, str]
) -> None:
    made = [await a_course(provider.organization_id) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/courses", params=query)).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == _ids(*reversed(made))


async def test_a_cursor_of_nothing_we_made_is_400(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/courses", params={"cursor": "bm9wZQ"}), 400, "invalid-cursor")


async def test_listing_takes_as_many_statements_for_three_as_for_one(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    async def listing() -> tuple[int, int]:
        with counting_statements() as statements:
            response = await client.get("/courses", params={"q": "everyone"})
        return len(response.json()["items"]), statements.value

    await a_course(provider.organization_id)
    one = await listing()
    await a_course(provider.organization_id)
    await a_course(provider.organization_id)
    three = await listing()
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1] == 1


# --- a course's page ------------------------------------------------------------------------


async def test_course_page_by_id_and_by_slug_with_language_fallback(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await a_course(
        provider.organization_id, title_kk="", title_ru="Только по-русски", title_en="",
        summary_en="English summary", description_kk="Қазақша сипаттама",
    )  # fmt: skip

    by_id = await client.get(f"/courses/{course.id}", params={"lang": "en"})
    by_slug = await client.get(f"/courses/{course.slug}", headers={"Accept-Language": "en"})

    assert by_id.status_code == 200, by_id.text
    assert by_id.json() == by_slug.json()
    page = by_id.json()
    assert (page["title"], page["summary"], page["description"]) == (
        {"text": "Только по-русски", "language": "ru"},
        {"text": "English summary", "language": "en"},
        {"text": "Қазақша сипаттама", "language": "kk"},
    )
    modules = [
        {
            "id": str(course.module_ids[0]),
            "title": {"text": "Module 1", "language": "en"},
            "lessons": [
                {"id": str(course.lesson_ids[0]), "kind": "text",
                 "title": {"text": "What is AI?", "language": "en"}, "duration_minutes": 0,
                 "required": True, "final": False},
                {"id": str(course.lesson_ids[1]), "kind": "video",
                 "title": {"text": "AI in daily life", "language": "en"}, "duration_minutes": 0,
                 "required": True, "final": False},
            ],
        },
        {
            "id": str(course.module_ids[1]),
            "title": {"text": "Module 2", "language": "en"},
            "lessons": [
                {"id": str(course.test_id), "kind": "test",
                 "title": {"text": "Final test", "language": "en"}, "duration_minutes": 0,
                 "required": True, "final": True},
            ],
        },
    ]  # fmt: skip
    assert page["modules"] == modules
    assert page["completion_rule"] == {
        "required_lessons": 3,
        "final_test": {
            "lesson_id": str(course.test_id),
            "title": {"text": "Final test", "language": "en"},
            "pass_mark": 50,
        },
        "version": 1,
    }
    in_kazakh = (await client.get(f"/courses/{course.slug}", params={"lang": "kk"})).json()
    assert in_kazakh["modules"][0]["title"] == {"text": "Модуль 1", "language": "kk"}
    assert_problem(await client.get("/courses/no-such-course"), 404, "course-not-found")
    assert_problem(await client.get(f"/courses/{uuid.uuid4()}"), 404, "course-not-found")


async def test_course_page_shows_upcoming_cohorts_with_their_seats(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    now = dt.datetime.now(dt.UTC)
    course = await a_course(provider.organization_id, format=CourseFormat.IN_PERSON)
    almaty = await a_cohort(
        course, region=Region.ALMATY, capacity=30, venue_name_ru="Astana Hub Almaty",
    )  # fmt: skip
    online = await a_cohort(
        course, capacity=None, starts_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 3, 30, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    await a_cohort(course, region=Region.ASTANA, starts_at=now - dt.timedelta(days=9),
                   ends_at=now - dt.timedelta(days=2))  # fmt: skip
    learner = await people.signed_in_person(settings)
    await an_enrolment(learner.person_id, course, almaty["id"])

    page = (await client.get(f"/courses/{course.slug}", params={"lang": "ru"})).json()

    assert page["upcoming_cohorts"] == [
        {
            "id": str(almaty["id"]),
            "status": "scheduled",
            "time_zone": "Asia/Almaty",
            "starts_at": "2027-02-01T10:00:00+05:00",
            "ends_at": "2027-04-30T18:00:00+05:00",
            "online": False,
            "region": "almaty",
            "venue_name": {"text": "Astana Hub Almaty", "language": "ru"},
            "venue_address": {"text": "", "language": None},
            "seats": {"capacity": 30, "taken": 1, "left": 29, "waitlisted": 0},
        },
        {
            "id": str(online["id"]),
            "status": "scheduled",
            "time_zone": "Asia/Almaty",
            "starts_at": "2027-03-01T14:00:00+05:00",
            "ends_at": "2027-03-30T14:00:00+05:00",
            "online": True,
            "region": None,
            "venue_name": {"text": "", "language": None},
            "venue_address": {"text": "", "language": None},
            "seats": {"capacity": None, "taken": 0, "left": None, "waitlisted": 0},
        },
    ]


async def test_course_page_takes_as_many_statements_for_three_cohorts_as_for_one(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await a_course(provider.organization_id)

    async def page() -> tuple[int, int]:
        with counting_statements() as statements:
            body = (await client.get(f"/courses/{course.slug}")).json()
        return len(body["upcoming_cohorts"]), statements.value

    await a_cohort(course, region=Region.ALMATY)
    one = await page()
    await a_cohort(course, region=Region.ASTANA)
    await a_cohort(course)
    three = await page()
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]


# --- the demo -------------------------------------------------------------------------------


async def test_demo_courses_load_once_with_modules_tests_and_cohorts(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)

    providers = await load_demo_courses(admin.person_id)
    assert await load_demo_courses(admin.person_id) == providers

    listed = (await client.get("/courses", params={"lang": "en", "limit": 50})).json()["items"]
    assert sorted(item["slug"] for item in listed) == sorted(
        demo.fields["slug"] for demo in DEMO_COURSES
    )
    assert {item["organization_id"] for item in listed} == {str(p) for p in providers}
    assert await Course.count().where(Course.is_demo.eq(True)) == len(DEMO_COURSES)
    teachers = (
        await client.get("/courses/machine-learning-for-teachers", params={"lang": "en"})
    ).json()
    assert [item["slug"] for item in teachers["prerequisites"]] == [AI_BASICS_SLUG]
    assert teachers["completion_rule"]["final_test"]["pass_mark"] == 60
    basics = (await client.get(f"/courses/{AI_BASICS_SLUG}", params={"lang": "kk"})).json()
    assert basics["format"] == "self-paced"
    assert basics["upcoming_cohorts"] == []
    assert basics["title"]["language"] == "kk"
    cohorts = await Cohort.select(Cohort.region, Cohort.is_demo)
    assert all(row["is_demo"] for row in cohorts)
    regions = {row["region"] for row in cohorts}
    assert None in regions
    assert len(regions - {None}) >= 3
    assert await _listed(client, region="shymkent") == [teachers["id"]]
