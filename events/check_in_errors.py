"""What check-in at the door refuses, in kk/ru/en (mapped to HTTP in `year2026.errors`).

A ticket that is not ours, or not of this event, is bad input (422): the device shows it and the
person is turned away. A ticket of ours whose registration cannot be let in now (cancelled,
still waiting, already in) clashes with the registration's state (409).
"""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, NotFound
from year2026.i18n import Language, Texts


class AlreadyCheckedIn(Conflict):
    """A second scan of a ticket: says when (HH:MM in the event's zone) and by whom; its params
    also carry `checked_in_at` (RFC 3339, the event's zone), `checked_in_by` and `device`."""

    code = "already-checked-in"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл билет бойынша кіру тіркеліп қойған: сағат {time}, тіркеген —"
        " {checked_in_by}.",
        Language.RU: "По этому билету уже отмечен вход в {time}, отметил(а) {checked_in_by}.",
        Language.EN: "This ticket was already checked in at {time} by {checked_in_by}.",
    }


class TicketForged(InvalidInput):
    """Not a ticket we signed: unreadable, not a ticket (`typ`), an unknown key, a bad
    signature, or claims that are not ours; `reason` says which."""

    code = "ticket-forged"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл билет жарамсыз: оны платформа бермеген немесе ол өзгертілген.",
        Language.RU: "Билет недействителен: он не выдан платформой или был изменён.",
        Language.EN: "This ticket is not valid: it was not issued by the platform, or it has"
        " been altered.",
    }


class TicketOtherEvent(InvalidInput):
    """A real ticket, of another event."""

    code = "ticket-other-event"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл билет басқа іс-шараға берілген.",
        Language.RU: "Этот билет выдан на другое мероприятие.",
        Language.EN: "This ticket is for another event.",
    }


class TicketCodeUnknown(InvalidInput):
    """No registration of this event has the typed code."""

    code = "ticket-code-unknown"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шарада мұндай коды бар билет жоқ.",
        Language.RU: "У этого мероприятия нет билета с таким кодом.",
        Language.EN: "No ticket of this event has this code.",
    }


class TicketRevoked(Conflict):
    """The registration was cancelled: its ticket no longer admits anyone."""

    code = "ticket-revoked"
    messages: ClassVar[Texts] = {
        Language.KK: "Билет жойылған: тіркелу тоқтатылды.",
        Language.RU: "Билет аннулирован: регистрация отменена.",
        Language.EN: "This ticket has been revoked: the registration was cancelled.",
    }


class TicketOtherDate(Conflict):
    """A real ticket of this recurring event, for another of its dates."""

    code = "ticket-other-date"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл билет іс-шараның басқа күніне: {date}.",
        Language.RU: "Этот билет на другую дату мероприятия: {date}.",
        Language.EN: "This ticket is for another date of the event: {date}.",
    }


class TicketNotConfirmed(Conflict):
    """The person is on the waitlist, or has an offered seat not yet accepted."""

    code = "ticket-not-confirmed"
    messages: ClassVar[Texts] = {
        Language.KK: "Тіркелу расталмаған: адам әлі күту тізімінде.",
        Language.RU: "Регистрация не подтверждена: человек ещё в листе ожидания.",
        Language.EN: "This registration is not confirmed: the person is still on the waitlist.",
    }


class TicketOrCode(InvalidInput):
    """A scan names its ticket one way: the QR code's token or the typed code."""

    code = "ticket-or-code"
    messages: ClassVar[Texts] = {
        Language.KK: "Билеттің QR-кодын (ticket) немесе терілген кодын (code) беріңіз, екеуін"
        " бірге емес.",
        Language.RU: "Укажите либо содержимое QR-кода билета (ticket), либо набранный код"
        " (code), но не оба.",
        Language.EN: "Give either the ticket's QR content (ticket) or its typed code (code),"
        " not both.",
    }


class ScanInFuture(InvalidInput):
    """A scan time ahead of the server's clock (more than the allowed skew)."""

    code = "scan-in-future"
    messages: ClassVar[Texts] = {
        Language.KK: "Сканерлеу уақыты болашақта: құрылғының сағатын тексеріңіз.",
        Language.RU: "Время сканирования в будущем: проверьте часы устройства.",
        Language.EN: "The scan time is in the future: check the device's clock.",
    }


class CheckInNotFound(NotFound):
    code = "check-in-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл тіркелу бойынша кіру белгіленбеген.",
        Language.RU: "Вход по этой регистрации не отмечен.",
        Language.EN: "This registration has not been checked in.",
    }
