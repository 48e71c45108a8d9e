"""What registration and check-in refuse, in kk/ru/en (mapped to HTTP in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, NotFound
from year2026.i18n import Language, Texts


class RegistrationNotFound(NotFound):
    code = "registration-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Тіркелу табылмады.",
        Language.RU: "Регистрация не найдена.",
        Language.EN: "The registration was not found.",
    }


class CapacityBelowConfirmed(Conflict):
    """Fewer seats than people already hold."""

    code = "capacity-below-confirmed"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "{taken} орын бос емес: сыйымдылықты одан аз етуге болмайды.",
        Language.RU: "Уже занято мест: {taken}. Вместимость не может быть меньше.",
        Language.EN: "{taken} seats are already taken: the capacity cannot be lower.",
    }


class OccurrenceRequired(InvalidInput):
    """A recurring event: which of its times?"""

    code = "occurrence-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Қайталанатын іс-шараның қай күніне тіркелетініңізді таңдаңыз.",
        Language.RU: "Выберите, на какую дату повторяющегося мероприятия вы регистрируетесь.",
        Language.EN: "Choose which date of this recurring event you are registering for.",
    }


class RegistrationNotOpen(Conflict):
    code = "registration-not-open"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шараға тіркелу ашық емес.",
        Language.RU: "Регистрация на это мероприятие сейчас не открыта.",
        Language.EN: "Registration for this event is not open.",
    }


class RegistrationNotYetOpen(Conflict):
    code = "registration-not-yet-open"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Тіркелу {opens_at} ашылады.",
        Language.RU: "Регистрация откроется {opens_at}.",
        Language.EN: "Registration opens at {opens_at}.",
    }


class RegistrationClosed(Conflict):
    code = "registration-closed"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл іс-шараға тіркелу жабылды.",
        Language.RU: "Регистрация на это мероприятие закрыта.",
        Language.EN: "Registration for this event has closed.",
    }


class EventCancelledForRegistration(Conflict):
    code = "event-cancelled"
    messages: ClassVar[Texts] = {
        Language.KK: "Іс-шара болмайды: ол тоқтатылды.",
        Language.RU: "Мероприятие отменено.",
        Language.EN: "The event has been cancelled.",
    }


class NoSeatsLeft(Conflict):
    code = "no-seats-left"
    messages: ClassVar[Texts] = {
        Language.KK: "Бос орын қалмады, ал күту тізімі жоқ.",
        Language.RU: "Свободных мест не осталось, а листа ожидания нет.",
        Language.EN: "No seats are left, and there is no waitlist.",
    }


class SessionWithoutSeats(Conflict):
    """A session with no seats of its own: a place at the event is enough."""

    code = "session-without-seats"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл сессияға бөлек тіркелу қажет емес: іс-шараға тіркелу жеткілікті.",
        Language.RU: "На эту сессию не нужна отдельная регистрация: достаточно регистрации"
        " на мероприятие.",
        Language.EN: "This session needs no registration of its own: a place at the event"
        " is enough.",
    }


class NoOpenOffer(Conflict):
    code = "no-open-offer"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл тіркелуде қабылдауға болатын ұсыныс жоқ (мерзімі өтіп кеткен болуы"
        " мүмкін).",
        Language.RU: "По этой регистрации нет предложения места, которое можно принять"
        " (возможно, его срок истёк).",
        Language.EN: "This registration holds no seat offer that can still be accepted (it may"
        " have expired).",
    }


class OccurrencesHaveRegistrations(Conflict):
    """A schedule change would remove dates people registered for."""

    code = "occurrences-have-registrations"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл өзгеріс адамдар тіркелген күндерді алып тастайды. Оның орнына сол"
        " күндерді болдырмаңыз.",
        Language.RU: "Это изменение убрало бы даты, на которые уже зарегистрировались люди."
        " Вместо этого отмените эти даты.",
        Language.EN: "This change would remove dates people have registered for. Cancel those"
        " dates instead.",
    }
