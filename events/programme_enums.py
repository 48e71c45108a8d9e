"""Fixed choices of an event's programme (its sessions)."""

from __future__ import annotations

import enum


class SessionFormat(enum.StrEnum):
    TALK = "talk"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    MASTERCLASS = "masterclass"
    DEMO = "demo"
    NETWORKING = "networking"


class SessionStatus(enum.StrEnum):
    """A session is scheduled until it is cancelled; a cancelled one stays listed as such, so that
    calendars that hold it learn of the cancellation."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
