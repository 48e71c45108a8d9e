"""Fixed choices of the event calendar."""

from __future__ import annotations

import enum


class EventStatus(enum.StrEnum):
    """draft → published → postponed or cancelled (a postponed event may be published again with
    its new time, or cancelled)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


#: the statuses anyone may see; drafts are their organization's (and admins') only
PUBLIC_STATUSES = frozenset({EventStatus.PUBLISHED, EventStatus.POSTPONED, EventStatus.CANCELLED})


class EventCategory(enum.StrEnum):
    FORUM = "forum"
    CONFERENCE = "conference"
    EXHIBITION = "exhibition"
    HACKATHON = "hackathon"
    TRAINING = "training"
    MEETUP = "meetup"
    WEBINAR = "webinar"
    COMPETITION = "competition"


class EventFormat(enum.StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    HYBRID = "hybrid"
