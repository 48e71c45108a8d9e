"""A cohort's class schedule: classes added, changed and cancelled by the provider, their
meetings expanded in the cohort's zone (with and without changes of the clocks), and the meetings
of a person's confirmed cohorts that the private calendar feed will show."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.support import courses, organizers
from tests.support.cohorts import audit_actions, create_class
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from year2026.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")


def meetings(schedule: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (item["starts_at"], item["ends_at"], item["cancelled"]) for item in schedule["meetings"]
    ]


async def schedule_of(client: httpx.AsyncClient, cohort_id: uuid.UUID) -> dict[str, Any]:
    response = await client.get(f"/cohorts/{cohort_id}/classes")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_weekly_class_with_an_exdate_meets_on_the_right_days_in_almaty(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)

    created = await create_class(
        client,
        provider,
        cohort["id"],
        title_kk="Практикум",
        title_en="Workshop",
        starts_at="2027-02-02T18:00:00",
        ends_at="2027-02-02T20:00:00",
        rrule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5",
        exdates=["2027-02-16T18:00:00"],
    )

    assert created == {
        "id": created["id"],
        "cohort_id": str(cohort["id"]),
        "status": "scheduled",
        "title_kk": "Практикум",
        "title_ru": "",
        "title_en": "Workshop",
        "starts_at": "2027-02-02T18:00:00+05:00",
        "ends_at": "2027-02-02T20:00:00+05:00",
        "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
        "exdates": ["2027-02-16T18:00:00+05:00"],
        "place_kk": "",
        "place_ru": "",
        "place_en": "",
        "online_url": "",
        "sequence": 0,
        "created_at": created["created_at"],
        "updated_at": created["updated_at"],
    }
    schedule = await schedule_of(client, cohort["id"])
    assert schedule["time_zone"] == "Asia/Almaty"
    assert meetings(schedule) == [
        ("2027-02-02T18:00:00+05:00", "2027-02-02T20:00:00+05:00", False),
        ("2027-02-09T18:00:00+05:00", "2027-02-09T20:00:00+05:00", False),
        ("2027-02-23T18:00:00+05:00", "2027-02-23T20:00:00+05:00", False),
        ("2027-03-02T18:00:00+05:00", "2027-03-02T20:00:00+05:00", False),
    ]
    assert {item["class_id"] for item in schedule["meetings"]} == {created["id"]}
    assert schedule["meetings"][0]["original_start"] == "2027-02-02T18:00:00+05:00"
    assert await audit_actions(created["id"]) == ["cohort_class.create"]


async def test_a_weekly_class_keeps_its_wall_clock_time_across_a_change_of_the_clocks(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(
        course,
        time_zone="Europe/Berlin",
        starts_at=dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN),
        ends_at=dt.datetime(2027, 5, 31, 18, 0, tzinfo=BERLIN),
    )
    await create_class(
        client,
        provider,
        cohort["id"],
        title_en="AI for entrepreneurs: clinic",
        starts_at="2027-03-18T18:00:00",
        ends_at="2027-03-18T19:30:00",
        rrule="FREQ=WEEKLY;UNTIL=20270415T235959Z",
        exdates=["2027-04-01T16:00:00Z"],  # an instant: 18:00 summer time in Berlin
    )

    schedule = await schedule_of(client, cohort["id"])

    # the clocks go forward on 28 March 2027: 18:00 stays 18:00, the offset moves
    assert meetings(schedule) == [
        ("2027-03-18T18:00:00+01:00", "2027-03-18T19:30:00+01:00", False),
        ("2027-03-25T18:00:00+01:00", "2027-03-25T19:30:00+01:00", False),
        ("2027-04-08T18:00:00+02:00", "2027-04-08T19:30:00+02:00", False),
        ("2027-04-15T18:00:00+02:00", "2027-04-15T19:30:00+02:00", False),
    ]


async def test_a_class_without_an_end_meets_only_within_the_cohorts_dates(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)  # ends 30 April 2027, 18:00
    await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Open lab",
        starts_at="2027-04-20T10:00:00",
        ends_at="2027-04-20T11:00:00",
        rrule="FREQ=WEEKLY",
    )
    assert [start for start, _, _ in meetings(await schedule_of(client, cohort["id"]))] == [
        "2027-04-20T10:00:00+05:00",
        "2027-04-27T10:00:00+05:00",
    ]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title_en": " "}, "class-title-required", "title_kk"),
        ({"ends_at": "2027-02-02T17:00:00"}, "class-ends-before-start", "ends_at"),
        ({"ends_at": "2027-02-04T17:00:00"}, "class-too-long", "ends_at"),
        (
            {"starts_at": "2027-05-04T18:00:00", "ends_at": "2027-05-04T20:00:00"},
            "class-outside-cohort",
            "starts_at",
        ),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO"}, "invalid-recurrence", "rrule"),
        ({"rrule": "FREQ=SOMETIMES"}, "invalid-recurrence", "rrule"),
        ({"rrule": "FREQ=HOURLY"}, "invalid-recurrence", "rrule"),
    ],
)
async def test_bad_class_fields_are_refused_naming_the_field(
    client: httpx.AsyncClient,
    provider: Organizer,
    changes: dict[str, Any],
    code: str,
    field: str,
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    body = {
        "title_en": "Workshop",
        "starts_at": "2027-02-02T18:00:00",
        "ends_at": "2027-02-02T20:00:00",
        **changes,
    }
    response = await client.post(
        f"/cohorts/{cohort['id']}/classes", json=body, headers=provider.headers
    )
    problem = assert_problem(response, 422, code)
    assert [error["field"] for error in problem["errors"]] == [field]


async def test_changing_a_class_raises_its_sequence_and_cancelling_marks_its_meetings(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    other = await courses.a_cohort(course)
    created = await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Workshop",
        starts_at="2027-02-02T18:00:00",
        ends_at="2027-02-02T20:00:00",
        rrule="FREQ=WEEKLY;COUNT=2",
    )
    path = f"/cohorts/{cohort['id']}/classes/{created['id']}"

    moved = await client.patch(
        path,
        json={
            "starts_at": "2027-02-03T18:30:00",
            "ends_at": "2027-02-03T20:30:00",
            "rrule": "FREQ=WEEKLY;COUNT=2",
            "place_en": "Room 5",
        },
        headers=provider.headers,
    )

    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body == {
        **created,
        "starts_at": "2027-02-03T18:30:00+05:00",
        "ends_at": "2027-02-03T20:30:00+05:00",
        "place_en": "Room 5",
        "sequence": 1,
        "updated_at": body["updated_at"],
    }
    assert (await client.get(path, headers=provider.headers)).json() == body
    stranger = await organizers.organizer(settings)
    assert_problem(
        await client.patch(path, json={"title_en": "Mine"}, headers=stranger.headers),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.post(
            f"/cohorts/{cohort['id']}/classes",
            json={
                "title_en": "x",
                "starts_at": "2027-02-02T18:00:00",
                "ends_at": "2027-02-02T19:00:00",
            },
            headers=stranger.headers,
        ),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.patch(
            f"/cohorts/{other['id']}/classes/{created['id']}",
            json={"title_en": "Moved"},
            headers=provider.headers,
        ),
        404,
        "class-not-found",
    )

    cancelled = await client.post(path + "/cancel", headers=provider.headers)

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["sequence"]) == ("cancelled", 2)
    assert meetings(await schedule_of(client, cohort["id"])) == [
        ("2027-02-03T18:30:00+05:00", "2027-02-03T20:30:00+05:00", True),
        ("2027-02-10T18:30:00+05:00", "2027-02-10T20:30:00+05:00", True),
    ]
    again = await client.post(path + "/cancel", headers=provider.headers)
    assert again.json() == cancelled.json()
    assert_problem(
        await client.patch(path, json={"title_en": "Back"}, headers=provider.headers),
        409,
        "class-cancelled",
    )
    assert await audit_actions(created["id"]) == [
        "cohort_class.create",
        "cohort_class.update",
        "cohort_class.cancel",
    ]


async def test_a_class_the_cohort_moved_away_from_can_still_be_renamed_but_not_moved_outside(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    created = await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Kick-off",
        starts_at="2027-02-01T10:00:00",
        ends_at="2027-02-01T12:00:00",
    )
    moved = await client.patch(
        f"/cohorts/{cohort['id']}",
        json={"starts_at": "2027-02-08T10:00:00"},
        headers=provider.headers,
    )
    assert moved.status_code == 200, moved.text
    path = f"/cohorts/{cohort['id']}/classes/{created['id']}"

    renamed = await client.patch(path, json={"title_en": "Welcome"}, headers=provider.headers)

    assert (renamed.status_code, renamed.json()["title_en"]) == (200, "Welcome")
    problem = assert_problem(
        await client.patch(path, json={"ends_at": "2027-02-01T13:00:00"}, headers=provider.headers),
        422,
        "class-outside-cohort",
    )
    assert [error["field"] for error in problem["errors"]] == ["starts_at"]
    # outside the cohort's dates, it has no meetings
    assert (await schedule_of(client, cohort["id"]))["meetings"] == []
    assert_problem(
        await client.get(
            f"/cohorts/{cohort['id']}/classes/{uuid.uuid4()}", headers=provider.headers
        ),
        404,
        "class-not-found",
    )
