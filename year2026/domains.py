"""What each domain hands the platform's shared parts: its share of a person's data (export,
erasure) and of the calendars. The app factory and the worker both compose from here."""

from __future__ import annotations

from courses import calendar_items as course_calendar_items
from events import calendar_items
from events import personal_data as events_personal_data
from year2026.calendar import private as calendar_private
from year2026.calendar.parts import CalendarParts
from year2026.people.personal_data import PersonalDataParts

#: what each domain holds about a person, for `GET /me/export` and `DELETE /me`
PERSONAL_DATA = PersonalDataParts(
    exports={
        "events": events_personal_data.export_registrations,
        "calendar_feed": calendar_private.export_calendar_feed,
    },
    erasures=[
        events_personal_data.release_future_registrations,
        calendar_private.erase_calendar_feed,
    ],
)
#: what each domain puts in calendars (course classes only in private feeds)
CALENDAR_PARTS = CalendarParts(
    fragments=calendar_items.build_fragments,
    listings={"events": calendar_items.listing},
    private=[calendar_items.person_items, course_calendar_items.person_items],
)
