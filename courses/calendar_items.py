"""The courses' part of a person's private calendar (`year2026.calendar.parts`): the classes of
the cohorts they are enrolled in.

- A class is one VEVENT (`class-<id>`), a series when it recurs (RRULE, EXDATE), in the
  cohort's zone; its owner, for the publisher's change marks, is its cohort (a change to the
  class, the cohort, the course or the provider marks the cohort: migrations/courses).
- Its status follows the class, the cohort and the enrolment: confirmed, tentative while the
  person waits for a seat, cancelled when the class or cohort is cancelled or the enrolment ends
  (kept until the context's `keep_from`, so subscribed calendars remove it).
- SEQUENCE is the class's plus the cohort's, raised twice by each enrolment after the first and
  once by an ending (as an event registration's is), so it never goes back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from asyncpg import Record

from courses.enums import ClassStatus, CohortStatus
from year2026.calendar.items import CalendarItem, ItemStatus, uid_for
from year2026.calendar.parts import CalendarContext
from year2026.db import fetch
from year2026.i18n import Language, text_in
from year2026.seats_enums import ClaimStatus

Row = Mapping[str, Any] | Record

#: the first line of a class's description: where the person stands
ENROLMENT_LINE = {
    ClaimStatus.CONFIRMED: {
        Language.KK: "Сіз курсқа жазылдыңыз.",
        Language.RU: "Вы записаны на курс.",
        Language.EN: "You are enrolled in this course.",
    },
    ClaimStatus.WAITLISTED: {
        Language.KK: "Сіз курстың күту тізіміндесіз.",
        Language.RU: "Вы в листе ожидания курса.",
        Language.EN: "You are on the course's waitlist.",
    },
    ClaimStatus.OFFERED: {
        Language.KK: "Сізге курста орын ұсынылды.",
        Language.RU: "Вам предложено место на курсе.",
        Language.EN: "A seat on the course is offered to you.",
    },
    ClaimStatus.CANCELLED: {
        Language.KK: "Курсқа жазылуыңыз аяқталды.",
        Language.RU: "Ваша запись на курс завершена.",
        Language.EN: "Your enrolment has ended.",
    },
}

#: the person's latest enrolment in each cohort, and how many they made there
_ENROLMENTS_SQL = (
    "SELECT DISTINCT ON (e.cohort) e.cohort, c.status AS claim_status,"
    " c.updated_at AS claim_updated_at, count(*) OVER (PARTITION BY e.cohort) AS enrolments"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
    " WHERE e.person = {} AND e.cohort IS NOT NULL ORDER BY e.cohort, e.created_at DESC"
)
_CLASSES_SQL = (
    "SELECT k.id, k.cohort, k.title_kk, k.title_ru, k.title_en, k.starts_at, k.ends_at, k.rrule,"
    " k.exdates, k.place_kk, k.place_ru, k.place_en, k.online_url, k.status, k.sequence,"
    " k.updated_at, h.status AS cohort_status, h.time_zone, h.ends_at AS cohort_ends_at,"
    " h.venue_name_kk, h.venue_name_ru, h.venue_name_en, h.venue_address_kk,"
    " h.venue_address_ru, h.venue_address_en, h.online_url AS cohort_online_url,"
    " h.sequence AS cohort_sequence, h.updated_at AS cohort_updated_at, co.slug,"
    " co.title_kk AS course_title_kk, co.title_ru AS course_title_ru,"
    " co.title_en AS course_title_en, co.summary_kk, co.summary_ru, co.summary_en,"
    " co.updated_at AS course_updated_at, o.name_kk AS provider_kk, o.name_ru AS provider_ru,"
    " o.name_en AS provider_en"
    " FROM course_class k JOIN course_cohort h ON h.id = k.cohort"
    " JOIN course co ON co.id = h.course JOIN organization o ON o.id = co.organization"
    " WHERE k.cohort = ANY({}) AND h.ends_at > {} ORDER BY k.starts_at, k.id"
)


def _location(row: Row, language: Language) -> str:
    place = text_in(row, "place", language)
    if place:
        return place
    venue = [text_in(row, "venue_name", language), text_in(row, "venue_address", language)]
    return (
        ", ".join(part for part in venue if part) or row["online_url"] or row["cohort_online_url"]
    )


def _status(row: Row, claim: ClaimStatus) -> ItemStatus:
    if (
        claim is ClaimStatus.CANCELLED
        or row["status"] == ClassStatus.CANCELLED
        or row["cohort_status"] == CohortStatus.CANCELLED
    ):
        return ItemStatus.CANCELLED
    if claim is not ClaimStatus.CONFIRMED:
        return ItemStatus.TENTATIVE
    return ItemStatus.CONFIRMED


def class_item(
    row: Row,
    enrolment: Row,
    language: Language,
    reminder: int | None,
    context: CalendarContext,
) -> CalendarItem:
    claim = ClaimStatus(enrolment["claim_status"])
    course = text_in(row, "course_title", language)
    title = text_in(row, "title", language)
    changes = 2 * (enrolment["enrolments"] - 1) + (claim is ClaimStatus.CANCELLED)
    online = row["online_url"] or row["cohort_online_url"]
    description = [ENROLMENT_LINE[claim][language], text_in(row, "summary", language), online]
    return CalendarItem(
        uid=uid_for("class", row["id"]),
        sequence=row["sequence"] + row["cohort_sequence"] + changes,
        updated_at=max(
            row["updated_at"],
            row["cohort_updated_at"],
            row["course_updated_at"],
            enrolment["claim_updated_at"],
        ),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        time_zone=row["time_zone"],
        status=_status(row, claim),
        summary=f"{course}: {title}" if title else course,
        description="\n\n".join(part for part in description if part),
        location=_location(row, language),
        url=f"{context.public_url}/courses/{row['slug']}",
        organizer=text_in(row, "provider", language),
        categories=("course",),
        rrule=row["rrule"],
        exdates=tuple(row["exdates"] or ()),
        alarm_minutes=reminder,
    )


async def person_items(
    person_id: uuid.UUID, language: Language, reminder: int | None, context: CalendarContext
) -> tuple[list[CalendarItem], set[uuid.UUID]]:
    """The classes of the cohorts the person is (or, for a while, was) enrolled in, and the
    cohorts those items are written from."""
    enrolments = {row["cohort"]: row for row in await fetch(_ENROLMENTS_SQL, person_id)}
    if not enrolments:
        return [], set()
    items = []
    for row in await fetch(_CLASSES_SQL, list(enrolments), context.keep_from):
        enrolment = enrolments[row["cohort"]]
        ended = enrolment["claim_status"] == ClaimStatus.CANCELLED
        if ended and enrolment["claim_updated_at"] <= context.keep_from:
            continue
        if row["status"] == ClassStatus.CANCELLED and row["updated_at"] <= context.keep_from:
            continue
        items.append(class_item(row, enrolment, language, reminder, context))
    return items, set(enrolments)
