"""What the event calendar refuses, in kk/ru/en (mapped to HTTP in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from year2026.i18n import Language, Texts


class EventNotFound(NotFound):
    """No event the caller may see has this id or slug (drafts of other organizations too)."""

    code = "event-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шара табылмады.",
        Language.RU: "Мероприятие не найдено.",
        Language.EN: "The event was not found.",
    }


class SlugTaken(Conflict):
    code = "event-slug-taken"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл мекенжай (slug) басқа іс-шараға берілген.",
        Language.RU: "Этот адрес (slug) уже занят другим мероприятием.",
        Language.EN: "This slug is already used by another event.",
    }


class StatusChangeRefused(Conflict):
    """The workflow does not go from the event's status to the one asked."""

    code = "event-status-change-refused"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шараның «{current}» күйінен бұл әрекет мүмкін емес.",
        Language.RU: "Из состояния «{current}» это действие с мероприятием невозможно.",
        Language.EN: "This cannot be done to an event that is {current}.",
    }


class InvalidEventField(InvalidInput):
    """A field breaks a rule of the calendar; `field` says which."""

    code = "invalid-event-field"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шараның бір өрісі ережеге сәйкес келмейді.",
        Language.RU: "Поле мероприятия не соответствует правилам.",
        Language.EN: "A field of the event breaks a rule.",
    }

    def __init__(self, field: str, **params: object) -> None:
        super().__init__(**params)
        self.field = field


class TitleRequired(InvalidEventField):
    code = "event-title-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Атауын кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите название хотя бы на одном языке.",
        Language.EN: "Give the title in at least one language.",
    }


class ReasonRequired(InvalidEventField):
    code = "event-reason-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Себебін кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите причину хотя бы на одном языке.",
        Language.EN: "Give the reason in at least one language.",
    }


class EndsBeforeStart(InvalidEventField):
    code = "event-ends-before-start"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шара басталғаннан кейін аяқталуы керек.",
        Language.RU: "Мероприятие должно заканчиваться после начала.",
        Language.EN: "The event must end after it starts.",
    }


class TimeRequired(InvalidEventField):
    code = "event-time-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Басталу және аяқталу уақытын (күнін) көрсетіңіз.",
        Language.RU: "Укажите время (даты) начала и окончания.",
        Language.EN: "Give the start and end times (or dates, for an all-day event).",
    }


class TooLong(InvalidEventField):
    code = "event-too-long"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шара {days} күннен ұзақ болмауы керек.",
        Language.RU: "Мероприятие не может длиться дольше {days} дней.",
        Language.EN: "An event lasts at most {days} days.",
    }


class RegionRequired(InvalidEventField):
    code = "event-region-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Офлайн немесе аралас іс-шараның өңірін көрсетіңіз.",
        Language.RU: "Укажите регион офлайн- или гибридного мероприятия.",
        Language.EN: "Give the region of an offline or hybrid event.",
    }


class OnlineHasNoRegion(InvalidEventField):
    code = "event-online-has-no-region"
    messages: ClassVar[Texts] = {
        Language.KK: "Онлайн іс-шараның өңірі болмайды.",
        Language.RU: "У онлайн-мероприятия нет региона.",
        Language.EN: "An online event has no region.",
    }


class InvalidTag(InvalidEventField):
    code = "event-invalid-tag"
    messages: ClassVar[Texts] = {
        Language.KK: "Тег — 1–40 таңба: әріптер, сандар және дефис.",
        Language.RU: "Тег — 1–40 символов: буквы, цифры и дефис.",
        Language.EN: "A tag is 1–40 characters: letters, digits and hyphens.",
    }


class CoordinatesIncomplete(InvalidEventField):
    code = "event-coordinates-incomplete"
    messages: ClassVar[Texts] = {
        Language.KK: "Ендік пен бойлықты бірге көрсетіңіз.",
        Language.RU: "Укажите широту и долготу вместе.",
        Language.EN: "Give latitude and longitude together.",
    }


class OccurrenceNotFound(NotFound):
    code = "occurrence-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шараның мұндай өтетін уақыты жоқ.",
        Language.RU: "У мероприятия нет такого проведения.",
        Language.EN: "The event has no such occurrence.",
    }


class NotRecurring(InvalidEventField):
    code = "event-not-recurring"
    messages: ClassVar[Texts] = {
        Language.KK: "Бір реттік іс-шараның уақытын іс-шараның өзінде өзгертіңіз.",
        Language.RU: "Время разового мероприятия меняется в самом мероприятии.",
        Language.EN: "A one-off event's time is changed on the event itself.",
    }


class DraftsNotVisible(PermissionDenied):
    code = "drafts-not-visible"
    messages: ClassVar[Texts] = {
        Language.KK: "Жобаларды тек ұйымның мүшелері көреді: ұйымды көрсетіңіз.",
        Language.RU: "Черновики видят только участники организации: укажите организацию.",
        Language.EN: "Only an organization's members see its drafts: name the organization.",
    }


class RegistrationWindowBackwards(InvalidEventField):
    code = "event-registration-window-backwards"
    messages: ClassVar[Texts] = {
        Language.KK: "Тіркеу ашылғаннан кейін жабылуы керек.",
        Language.RU: "Регистрация должна закрываться позже, чем открывается.",
        Language.EN: "Registration must close after it opens.",
    }
