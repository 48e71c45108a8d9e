"""What an event's programme refuses, in kk/ru/en (mapped to HTTP in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from events.errors import InvalidEventField
from year2026.exceptions import Conflict, NotFound
from year2026.i18n import Language, Texts


class TrackNotFound(NotFound):
    code = "track-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шарада мұндай бағыт (трек) жоқ.",
        Language.RU: "В этом мероприятии нет такого трека.",
        Language.EN: "This event has no such track.",
    }


class RoomNotFound(NotFound):
    code = "room-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шарада мұндай зал жоқ.",
        Language.RU: "В этом мероприятии нет такого зала.",
        Language.EN: "This event has no such room.",
    }


class SpeakerNotFound(NotFound):
    code = "speaker-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шарада мұндай спикер жоқ.",
        Language.RU: "В этом мероприятии нет такого спикера.",
        Language.EN: "This event has no such speaker.",
    }


class SessionNotFound(NotFound):
    """No session the caller may see has this id (a session of a draft is hidden like its
    event)."""

    code = "session-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Сессия табылмады.",
        Language.RU: "Сессия не найдена.",
        Language.EN: "The session was not found.",
    }


class InUseBySessions(Conflict):
    """A track, room or speaker that sessions use is not removed: move the sessions first."""

    code = "programme-item-in-use"
    messages: ClassVar[Texts] = {
        Language.KK: "Мұны {sessions} сессия пайдаланады: алдымен сессияларды өзгертіңіз.",
        Language.RU: "Это используется в сессиях ({sessions}): сначала измените их.",
        Language.EN: "{sessions} session(s) use this: change them first.",
    }


class SessionAlreadyCancelled(Conflict):
    code = "session-already-cancelled"
    messages: ClassVar[Texts] = {
        Language.KK: "Сессия бұрын тоқтатылған.",
        Language.RU: "Сессия уже отменена.",
        Language.EN: "The session is already cancelled.",
    }


class NameRequired(InvalidEventField):
    """A track or room is named in at least one language."""

    code = "programme-name-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Атауын кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите название хотя бы на одном языке.",
        Language.EN: "Give the name in at least one language.",
    }


class SessionTitleRequired(InvalidEventField):
    code = "session-title-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Сессия атауын кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите название сессии хотя бы на одном языке.",
        Language.EN: "Give the session's title in at least one language.",
    }


class SessionTimeWithoutOffset(InvalidEventField):
    code = "session-time-without-offset"
    messages: ClassVar[Texts] = {
        Language.KK: "Уақытты UTC-ден ығысуымен көрсетіңіз (мысалы, +05:00).",
        Language.RU: "Укажите время со смещением от UTC (например, +05:00).",
        Language.EN: "Give the time with its offset from UTC (e.g. +05:00).",
    }


class SessionEndsBeforeStart(InvalidEventField):
    code = "session-ends-before-start"
    messages: ClassVar[Texts] = {
        Language.KK: "Сессия басталғаннан кейін аяқталуы керек.",
        Language.RU: "Сессия должна заканчиваться после начала.",
        Language.EN: "The session must end after it starts.",
    }


class SessionOutsideEventDays(InvalidEventField):
    """A session lies within its event's days (for a recurring event, its first occurrence's),
    given as dates in the event's time zone."""

    code = "session-outside-event-days"
    messages: ClassVar[Texts] = {
        Language.KK: "Сессия іс-шара күндерінің ішінде өтуі керек: {first_day} – {last_day}.",
        Language.RU: "Сессия должна проходить в дни мероприятия: {first_day} – {last_day}.",
        Language.EN: "The session must take place within the event's days:"
        " {first_day} – {last_day}.",
    }


class CapacityNotPositive(InvalidEventField):
    code = "programme-capacity-not-positive"
    messages: ClassVar[Texts] = {
        Language.KK: "Орын саны кемінде 1 болуы керек.",
        Language.RU: "Число мест должно быть не меньше 1.",
        Language.EN: "The capacity is at least 1.",
    }


class RoomOfAnotherEvent(InvalidEventField):
    code = "session-room-not-of-event"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл зал осы іс-шараға жатпайды.",
        Language.RU: "Этот зал не относится к этому мероприятию.",
        Language.EN: "This room is not one of this event's.",
    }


class TrackOfAnotherEvent(InvalidEventField):
    code = "session-track-not-of-event"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл бағыт (трек) осы іс-шараға жатпайды.",
        Language.RU: "Этот трек не относится к этому мероприятию.",
        Language.EN: "This track is not one of this event's.",
    }


class SpeakerOfAnotherEvent(InvalidEventField):
    code = "session-speaker-not-of-event"
    messages: ClassVar[Texts] = {
        Language.KK: "Спикерлердің бірі осы іс-шараға жатпайды.",
        Language.RU: "Один из спикеров не относится к этому мероприятию.",
        Language.EN: "One of the speakers is not one of this event's.",
    }


class SpeakerNamedTwice(InvalidEventField):
    code = "session-speaker-named-twice"
    messages: ClassVar[Texts] = {
        Language.KK: "Бір спикер сессияда екі рет аталған.",
        Language.RU: "Один спикер указан в сессии дважды.",
        Language.EN: "A speaker is named twice for the session.",
    }
