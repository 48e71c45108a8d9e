"""Calendars: iCalendar building (RFC 5545), the feeds' cache shared by every API process, their
publishing when something in them changes, their HTTP, and each person's private feed.

The domains say what is in a calendar (`parts.CalendarParts`: events now, course classes later);
this package says how it is written and served, so that an item reads the same in every feed and,
later, in an emailed invitation.
"""
