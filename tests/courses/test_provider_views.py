"""The providers' views over HTTP: a cohort's and a course's enrolments with their counts, search
and pages, the CSV files read back as a spreadsheet would, who may see them, and the attendance
sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import httpx
import msgspec
import pytest

from courses import seating
from courses.enums import CourseFormat, CourseStatus
from courses.tables import Enrolment
from tests.support import courses, organizers, people
from tests.support.cohorts import create_class, record_attendance
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from tests.support.statements import counting_statements
from year2026 import seats
from year2026.db import get_engine
from year2026.seats_enums import EndedReason
from year2026.settings import Settings


def as_json(value: Any) -> Any:
    """A value as the API writes it."""
    return msgspec.json.decode(msgspec.json.encode(value))


async def item(
    claim: seats.Claim, learner: people.SignedIn, name: str, **changes: Any
) -> dict[str, Any]:
    """The provider's view of an enrolment, as its claim is now."""
    now = await seats.get_claim(claim.id)
    assert now is not None
    return {
        "id": str(claim.id),
        "person_id": str(learner.person_id),
        "cohort_id": str(claim.pool_id),
        "name": name,
        "email": learner.email,
        "status": now.status.value,
        "waitlist_position": None,
        "ended_reason": now.ended_reason,
        "created_at": as_json(claim.created_at),
        "completed_at": None,
        "ended_at": as_json(now.ended_at),
        **changes,
    }


async def listing(
    client: httpx.AsyncClient, who: Organizer, path: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(path, params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def enrol(
    settings: Settings,
    course: courses.CourseData,
    cohort_id: uuid.UUID | None,
    name: str,
    **kw: Any,
) -> tuple[people.SignedIn, seats.Claim]:
    learner = await people.signed_in_person(settings, name=name, **kw)
    return learner, await courses.an_enrolment(learner.person_id, course, cohort_id)


async def withdraw(claim: seats.Claim, person: people.SignedIn) -> None:
    async with get_engine().transaction():
        await seating.end_enrolment(
            claim.id, EndedReason.WITHDRAWN, dt.datetime.now(dt.UTC), person.person_id
        )


async def complete(claim: seats.Claim, at: dt.datetime) -> None:
    """Completion as the progress part decides it (not this part's service)."""
    await Enrolment.update({Enrolment.completed_at: at}).where(Enrolment.id == claim.id)


def counts(
    confirmed: int = 0, waitlisted: int = 0, withdrawn: int = 0, completed: int = 0
) -> dict[str, int]:
    return {
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "withdrawn": withdrawn,
        "completed": completed,
    }


async def test_providers_see_a_cohorts_counts_and_every_enrolment_in_arrival_order(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=2)
    names = ["Әлия Серікқызы", "Бауыржан", "Светлана Ким", "Dana"]
    made = [await enrol(settings, course, cohort["id"], name) for name in names]
    await withdraw(made[3][1], made[3][0])
    completed_at = dt.datetime(2027, 4, 30, 13, 0, tzinfo=dt.UTC)
    await complete(made[0][1], completed_at)

    body = await listing(client, provider, f"/cohorts/{cohort['id']}/enrolments")

    assert body == {
        "counts": counts(confirmed=2, waitlisted=1, withdrawn=1, completed=1),
        "items": [
            await item(made[0][1], made[0][0], names[0], completed_at="2027-04-30T13:00:00Z"),
            await item(made[1][1], made[1][0], names[1]),
            await item(made[2][1], made[2][0], names[2], waitlist_position=1),
            await item(made[3][1], made[3][0], names[3]),
        ],
        "next_cursor": None,
    }
    assert [row["status"] for row in body["items"]] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "cancelled",
    ]
    assert body["items"][3]["ended_reason"] == "withdrawn"
    rows = await Enrolment.select().where(Enrolment.cohort == cohort["id"])
    assert sum(body["counts"][name] for name in ("confirmed", "waitlisted", "withdrawn")) == len(
        rows
    )


async def test_the_list_is_searched_by_name_or_email_and_the_counts_stay_the_totals(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    made = [
        await enrol(settings, course, cohort["id"], "Әлия Серікқызы", email="aliya@example.kz"),
        await enrol(settings, course, cohort["id"], "100% Bauyrzhan", email="b_z@example.kz"),
        await enrol(settings, course, cohort["id"], "Светлана", email="sveta@MAIL.kz"),
    ]
    path = f"/cohorts/{cohort['id']}/enrolments"

    def ids(body: dict[str, Any]) -> list[str]:
        return [row["id"] for row in body["items"]]

    everyone = counts(confirmed=1, waitlisted=2)
    for q, expected in (
        ("әлия", [made[0]]),
        ("mail.KZ", [made[2]]),
        ("100%", [made[1]]),
        ("%", [made[1]]),
        ("x%z", []),
        ("_", [made[1]]),
        ("example", [made[0], made[1]]),
    ):
        body = await listing(client, provider, path, q=q)
        assert ids(body) == [str(claim.id) for _, claim in expected], q
        assert body["counts"] == everyone


async def test_pages_follow_each_other_in_arrival_order(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=None)
    made = [await enrol(settings, course, cohort["id"], f"Learner {n}") for n in range(5)]
    path = f"/cohorts/{cohort['id']}/enrolments"

    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = await listing(client, provider, path, **params)
        sizes.append(len(body["items"]))
        seen += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert sizes == [2, 2, 1]
    assert seen == [str(claim.id) for _, claim in made]
    assert_problem(
        await client.get(path, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=provider.headers),
        400,
        "invalid-cursor",
    )


@pytest.mark.parametrize("listed", ["enrolments", "attendance"])
async def test_the_listing_and_the_sheet_take_as_many_statements_for_one_learner_as_three(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings, listed: str
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=None)
    await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Weekly",
        starts_at="2027-02-02T18:00:00",
        ends_at="2027-02-02T20:00:00",
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    path = f"/cohorts/{cohort['id']}/{listed}"
    rows = "items" if listed == "enrolments" else "learners"

    async def add_and_count() -> tuple[int, int]:
        await enrol(settings, course, cohort["id"], "Learner")
        with counting_statements() as statements:
            response = await client.get(path, headers=provider.headers)
        assert response.status_code == 200, response.text
        return len(response.json()[rows]), statements.value

    one = await add_and_count()
    await add_and_count()
    three = await add_and_count()
    assert (one[0], three[0]) == (1, 3)
    # the cohort, the course, the membership; then the counts and the page (enrolments), or
    # the classes, the learners and their attendance (the sheet)
    statements = {"enrolments": 5, "attendance": 6}[listed]
    assert (one[1], three[1]) == (statements, statements)


async def test_the_csv_file_opens_in_a_spreadsheet_with_formulas_made_harmless(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    first, _ = await enrol(settings, course, cohort["id"], '=HYPERLINK("http://x.kz","Ая")')
    second, _ = await enrol(settings, course, cohort["id"], "Бауыржан, Алматы")

    response = await client.get(
        f"/cohorts/{cohort['id']}/enrolments.csv", params={"lang": "ru"}, headers=provider.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{course.slug}-2027-02-01-enrolments.csv"'
    )
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 3
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == [
        "Имя",
        "Эл. почта",
        "Статус",
        "Место в очереди",
        "Время записи (Asia/Almaty)",
        "Время завершения курса (Asia/Almaty)",
        "Время прекращения (Asia/Almaty)",
    ]
    assert [row[:4] for row in table[1:]] == [
        ['\'=HYPERLINK("http://x.kz","Ая")', first.email, "confirmed", ""],
        ["Бауыржан, Алматы", second.email, "waitlisted", "1"],
    ]
    # wall-clock times in Almaty (UTC+5)
    almaty = dt.timezone(dt.timedelta(hours=5))
    enrolled_at = dt.datetime.strptime(table[1][4] + "+0500", "%Y-%m-%d %H:%M:%S%z")
    assert enrolled_at.utcoffset() == almaty.utcoffset(None)
    assert abs(enrolled_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert table[1][5:] == ["", ""]


async def test_a_courses_enrolments_hold_its_self_paced_learners(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    made = [await enrol(settings, course, None, name) for name in ("Айгүл", "Ерлан")]
    await withdraw(made[1][1], made[1][0])

    body = await listing(client, provider, f"/courses/{course.slug}/enrolments")

    assert body == {
        "counts": counts(confirmed=1, withdrawn=1),
        "items": [
            await item(made[0][1], made[0][0], "Айгүл", cohort_id=None),
            await item(made[1][1], made[1][0], "Ерлан", cohort_id=None),
        ],
        "next_cursor": None,
    }
    by_id = await listing(client, provider, f"/courses/{course.id}/enrolments", q="ерл")
    assert [row["name"] for row in by_id["items"]] == ["Ерлан"]
    exported = await client.get(f"/courses/{course.slug}/enrolments.csv", headers=provider.headers)
    assert exported.status_code == 200, exported.text
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
    assert table[0][0] == "Аты-жөні"  # the default language: Kazakh
    assert [row[:3] for row in table[1:]] == [
        ["Айгүл", made[0][0].email, "confirmed"],
        ["Ерлан", made[1][0].email, "cancelled"],
    ]


async def test_only_the_providers_members_and_admins_see_enrolments(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    learner, _ = await enrol(settings, course, cohort["id"], "Learner")
    draft = await courses.a_course(provider.organization_id, status=CourseStatus.DRAFT)
    draft_cohort = await courses.a_cohort(draft)
    stranger = await organizers.organizer(settings)
    their_course = await courses.a_course(stranger.organization_id, format=CourseFormat.SELF_PACED)
    await enrol(settings, their_course, None, "Theirs")
    admin = await people.admin(settings)
    base = f"/cohorts/{cohort['id']}"
    paths = [
        base + "/enrolments",
        base + "/enrolments.csv",
        base + "/attendance",
        base + "/attendance.csv",
        f"/courses/{course.slug}/enrolments",
        f"/courses/{course.slug}/enrolments.csv",
    ]
    for path in paths:
        assert_problem(await client.get(path), 401)
        assert_problem(await client.get(path, headers=learner.headers), 403, "not-a-member")
        assert_problem(await client.get(path, headers=stranger.headers), 403, "not-a-member")
        assert (await client.get(path, headers=admin.headers)).status_code == 200
        assert (await client.get(path, headers=provider.headers)).status_code == 200
    for path in (
        f"/cohorts/{draft_cohort['id']}/enrolments",
        f"/cohorts/{uuid.uuid4()}/attendance",
    ):
        assert_problem(await client.get(path, headers=stranger.headers), 404, "cohort-not-found")
    assert_problem(
        await client.get(f"/courses/{draft.slug}/enrolments", headers=stranger.headers),
        404,
        "course-not-found",
    )
    # each provider sees their own learners, and none of the other's
    theirs = await listing(client, stranger, f"/courses/{their_course.slug}/enrolments")
    ours = await listing(client, provider, f"/courses/{course.slug}/enrolments")
    assert [row["name"] for row in theirs["items"]] == ["Theirs"]
    assert [row["name"] for row in ours["items"]] == ["Learner"]
    assert_problem(
        await client.get(f"/courses/{their_course.slug}/enrolments", headers=provider.headers),
        403,
        "not-a-member",
    )


async def test_the_attendance_sheet_crosses_confirmed_learners_with_meetings(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=2)
    first, first_claim = await enrol(settings, course, cohort["id"], "Әлия")
    second, second_claim = await enrol(settings, course, cohort["id"], "Бауыржан")
    await enrol(settings, course, cohort["id"], "Waiting")
    weekly = await create_class(
        client,
        provider,
        cohort["id"],
        title_kk="Практикум",
        title_en="Workshop",
        starts_at="2027-02-02T18:00:00",
        ends_at="2027-02-02T20:00:00",
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    dropped = await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Dropped",
        starts_at="2027-02-03T10:00:00",
        ends_at="2027-02-03T11:00:00",
    )
    cancelled = await client.post(
        f"/cohorts/{cohort['id']}/classes/{dropped['id']}/cancel", headers=provider.headers
    )
    assert cancelled.status_code == 200, cancelled.text
    almaty = dt.timezone(dt.timedelta(hours=5))
    starts = [dt.datetime(2027, 2, day, 18, 0, tzinfo=almaty) for day in (2, 9, 16)]
    instructor = provider.person.person_id
    await record_attendance(weekly["id"], starts[0], first_claim.id, True, instructor)
    await record_attendance(weekly["id"], starts[1], first_claim.id, True, instructor)
    await record_attendance(weekly["id"], starts[0], second_claim.id, False, instructor)

    body = await listing(client, provider, f"/cohorts/{cohort['id']}/attendance", lang="en")

    assert body == {
        "time_zone": "Asia/Almaty",
        "meetings": [
            {
                "class_id": weekly["id"],
                "title": {"text": "Workshop", "language": "en"},
                "original_start": f"2027-02-{day:02d}T18:00:00+05:00",
                "starts_at": f"2027-02-{day:02d}T18:00:00+05:00",
                "ends_at": f"2027-02-{day:02d}T20:00:00+05:00",
            }
            for day in (2, 9, 16)
        ],
        "learners": [
            {
                "enrolment_id": str(first_claim.id),
                "person_id": str(first.person_id),
                "name": "Әлия",
                "email": first.email,
                "attended": [True, True, None],
                "attended_count": 2,
            },
            {
                "enrolment_id": str(second_claim.id),
                "person_id": str(second.person_id),
                "name": "Бауыржан",
                "email": second.email,
                "attended": [False, None, None],
                "attended_count": 0,
            },
        ],
        "next_cursor": None,
    }

    exported = await client.get(
        f"/cohorts/{cohort['id']}/attendance.csv", params={"lang": "en"}, headers=provider.headers
    )
    assert exported.status_code == 200, exported.text
    assert exported.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
    assert table == [
        [
            "Name",
            "Email",
            "Workshop 2027-02-02 18:00",
            "Workshop 2027-02-09 18:00",
            "Workshop 2027-02-16 18:00",
            "Attended",
        ],
        ["Әлия", first.email, "1", "1", "", "2"],
        ["Бауыржан", second.email, "0", "", "", "0"],
    ]
