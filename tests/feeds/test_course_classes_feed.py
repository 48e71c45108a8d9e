"""Course classes in a learner's private feed: a weekly class of their cohort as one series,
read by ical.js and recurring-ical-events, following the class's changes and the enrolment's
end."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from courses import seating
from courses.tables import CohortClass
from tests.support import courses, people
from tests.support.calendar_readers import (
    Instance,
    assert_wire_format,
    read_with_icaljs,
    read_with_recurring_ical_events,
)
from tests.support.feeds import private_feed_of, publish
from tests.support.learning import a_class
from tests.support.organizers import Organizer
from year2026.db import get_engine
from year2026.seats_enums import EndedReason
from year2026.settings import Settings

#: Mondays 18:00–20:00 in Almaty, four weeks from 1 February 2027, the third one skipped
FIRST = dt.datetime(2027, 2, 1, 18, 0, tzinfo=courses.ALMATY)
SKIPPED = FIRST + dt.timedelta(weeks=2)
WINDOW = (dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 6, 1, tzinfo=dt.UTC))


async def _weekly_class(cohort: dict[str, object]) -> uuid.UUID:
    return await a_class(
        cohort,
        starts_at=FIRST,
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=[SKIPPED],
        title_kk="Практикум",
        title_ru="Практикум",
        place_en="Room 204, Astana IT University",
    )


def _mondays(uid: str, summary: str, status: str) -> list[Instance]:
    return [
        Instance(uid, (FIRST + dt.timedelta(weeks=week)).astimezone(dt.UTC), status, summary)
        for week in (0, 1, 3)
    ]


async def test_a_learners_private_feed_holds_their_cohorts_classes_and_follows_them(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    course = await courses.a_course(organizer.organization_id)
    cohort = await courses.a_cohort(course)
    class_id = await _weekly_class(cohort)
    learner = await people.signed_in_person(clean_state)
    enrolment = await courses.an_enrolment(learner.person_id, course, cohort["id"])
    _made, path = await private_feed_of(client, learner)
    uid = f"class-{class_id}@year2026.kz"
    summary = "AI basics for everyone: Workshop"

    first = (await client.get(path + "?lang=en")).content
    assert_wire_format(first)
    assert read_with_recurring_ical_events(first, WINDOW) == _mondays(uid, summary, "CONFIRMED")
    [read] = read_with_icaljs(first, WINDOW)
    assert (read.uid, read.summary, read.status, read.sequence) == (uid, summary, "CONFIRMED", 0)
    assert [occurrence.start for occurrence in read.occurrences or ()] == [
        (FIRST + dt.timedelta(weeks=week)).astimezone(dt.UTC) for week in (0, 1, 3)
    ]

    # the provider renames the class: the cohort is marked, and the feed follows
    await CohortClass.update({CohortClass.title_en: "Lab", CohortClass.sequence: 1}).where(
        CohortClass.id == class_id
    )
    await publish(clean_state)
    renamed = (await client.get(path + "?lang=en")).content
    [read] = read_with_icaljs(renamed, WINDOW)
    assert (read.summary, read.sequence) == ("AI basics for everyone: Lab", 1)

    # the learner withdraws: the series stays, cancelled, with a higher SEQUENCE
    async with get_engine().transaction():
        await seating.end_enrolment(
            enrolment.id, EndedReason.WITHDRAWN, dt.datetime.now(dt.UTC), learner.person_id
        )
    await publish(clean_state)
    ended = (await client.get(path + "?lang=en")).content
    [read] = read_with_icaljs(ended, WINDOW)
    assert (read.uid, read.status, read.sequence) == (uid, "CANCELLED", 2)


async def test_a_waitlisted_learner_sees_the_classes_as_tentative(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    course = await courses.a_course(organizer.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    class_id = await _weekly_class(cohort)
    seated = await people.signed_in_person(clean_state)
    await courses.an_enrolment(seated.person_id, course, cohort["id"])
    learner = await people.signed_in_person(clean_state)
    await courses.an_enrolment(learner.person_id, course, cohort["id"])
    _made, path = await private_feed_of(client, learner)
    body = (await client.get(path + "?lang=ru")).content
    assert read_with_recurring_ical_events(body, WINDOW) == _mondays(
        f"class-{class_id}@year2026.kz", "Основы ИИ для всех: Практикум", "TENTATIVE"
    )
