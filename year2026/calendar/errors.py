"""What the calendars refuse, in kk/ru/en (mapped to HTTP in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import NotFound
from year2026.i18n import Language, Texts


class FeedNotFound(NotFound):
    """No such feed: an unknown or revoked private address, or an event that is not public
    (the same words for each, so that nothing says whether a person or a draft is behind it)."""

    code = "feed-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Мұндай күнтізбе жоқ.",
        Language.RU: "Такого календаря нет.",
        Language.EN: "There is no such calendar.",
    }


class NoCalendarFeed(NotFound):
    code = "no-calendar-feed"
    messages: ClassVar[Texts] = {
        Language.KK: "Сізде жеке күнтізбе сілтемесі жоқ: оны жасаңыз.",
        Language.RU: "У вас нет ссылки на личный календарь: создайте её.",
        Language.EN: "You have no private calendar address: create one.",
    }
