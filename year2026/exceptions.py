"""Domain errors: plain exceptions the services raise, with no knowledge of HTTP.

Each concrete error has a stable `code` (a slug clients can branch on) and its message in kk/ru/en.
`year2026.errors` maps the categories below to HTTP status codes, in one place.
"""

from __future__ import annotations

from typing import ClassVar

from year2026.i18n import Language, Texts, pick


class DomainError(Exception):
    code: ClassVar[str] = "domain-error"
    messages: ClassVar[Texts] = {
        Language.KK: "Сұрауды орындау мүмкін емес.",
        Language.RU: "Запрос не может быть выполнен.",
        Language.EN: "The request cannot be carried out.",
    }

    #: the request field at fault (`starts_at`, `rrule`), named in the problem's `errors`
    field: str | None = None
    #: whether the problem carries `params` too (the values its message names, for a client
    #: to show its own way); off unless an error says so, as some params are not for clients
    shows_params: ClassVar[bool] = False

    def __init__(self, **params: object) -> None:
        super().__init__(self.code)
        #: values the messages are formatted with, and that are shown to the client
        self.params = params

    def at(self, field: str) -> DomainError:
        """This error, blamed on `field` of the request body (for a rule checked by another
        module that does not know the field's name)."""
        self.field = field
        return self

    def message(self, language: Language) -> str:
        return pick(self.messages, language).format(**self.params)


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule (a date range backwards, a full cohort…)."""

    code = "invalid-input"


class NotFound(DomainError):
    """Nothing the caller may see exists under this name (also used to hide what they may not)."""

    code = "not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Сұралған нысан табылмады.",
        Language.RU: "Запрошенный объект не найден.",
        Language.EN: "The requested item was not found.",
    }


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a stale version)."""

    code = "conflict"


class NotAuthenticated(DomainError):
    """No valid credentials came with the request."""

    code = "not-authenticated"
    messages: ClassVar[Texts] = {
        Language.KK: "Жүйеге кіріңіз.",
        Language.RU: "Войдите в систему.",
        Language.EN: "Please sign in.",
    }


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    code = "permission-denied"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл әрекетке құқығыңыз жоқ.",
        Language.RU: "У вас нет прав на это действие.",
        Language.EN: "You are not allowed to do this.",
    }


class TooManyRequests(DomainError):
    """A rate limit was reached; `retry_after` seconds until the next attempt may succeed."""

    code = "too-many-requests"
    messages: ClassVar[Texts] = {
        Language.KK: "Сұраулар тым көп. {retry_after} секундтан кейін қайталаңыз.",
        Language.RU: "Слишком много запросов. Повторите через {retry_after} с.",
        Language.EN: "Too many requests. Try again in {retry_after} seconds.",
    }

    def __init__(self, retry_after: int, **params: object) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(retry_after=self.retry_after, **params)


class Unavailable(DomainError):
    """Something the request needs (the database, Redis, a provider) does not answer now;
    `retry_after` seconds is a fair time to wait before trying again."""

    code = "unavailable"
    retry_after: int | None = None


class DependencyUnavailable(Unavailable):
    """A server the platform depends on did not answer (refused, timed out, went away)."""

    #: a short wait: the platform reconnects by itself as soon as the server is back
    RETRY_SECONDS: ClassVar[int] = 5

    def __init__(self, **params: object) -> None:
        self.retry_after = self.RETRY_SECONDS
        super().__init__(retry_after=self.RETRY_SECONDS, **params)


class DatabaseUnavailable(DependencyUnavailable):
    code = "database-unavailable"
    messages: ClassVar[Texts] = {
        Language.KK: "Дерекқор қазір жауап бермейді."
        " {retry_after} секундтан кейін қайталап көріңіз.",
        Language.RU: "База данных сейчас не отвечает. Повторите через {retry_after} с.",
        Language.EN: "The database is not answering just now. Try again in {retry_after} seconds.",
    }


class RedisUnavailable(DependencyUnavailable):
    code = "redis-unavailable"
    messages: ClassVar[Texts] = {
        Language.KK: "Redis қазір жауап бермейді. {retry_after} секундтан кейін қайталап көріңіз.",
        Language.RU: "Redis сейчас не отвечает. Повторите через {retry_after} с.",
        Language.EN: "Redis is not answering just now. Try again in {retry_after} seconds.",
    }


class DatabaseBusy(Unavailable):
    """A statement waited longer than the platform's lock timeout for a row another request
    holds (a rush on one record); trying again shortly will do."""

    code = "database-busy"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл жазбаға сұраныс қазір тым көп. {retry_after} секундтан кейін қайталаңыз.",
        Language.RU: "К этой записи сейчас слишком много обращений. Повторите через"
        " {retry_after} с.",
        Language.EN: "This record is very busy just now. Try again in {retry_after} seconds.",
    }

    def __init__(self) -> None:
        self.retry_after = 2
        super().__init__(retry_after=2)
