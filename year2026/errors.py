"""One error format for every 4xx and 5xx: RFC 9457 problem details, in the caller's language.

Domain errors (`year2026.exceptions`) are mapped to HTTP here and only here. Two app-level handlers
cover everything else: Litestar's HTTP exceptions (unknown routes, 405, oversized bodies, bad
bodies and parameters) and any unexpected exception, which becomes a 500 that says nothing
internal but carries the request id.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import asyncpg
import msgspec
import redis.exceptions
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from year2026 import exceptions as domain
from year2026.i18n import Language, Texts, negotiate, pick
from year2026.observability import (
    REQUEST_ID_HEADER,
    incoming_request_id,
    loggable_path,
    request_id_of,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"

log = structlog.get_logger("year2026.errors")


class FieldProblem(msgspec.Struct, frozen=True):
    """One invalid part of the request."""

    #: where: `body`, `query`, `path`, `header` or `cookie`
    source: str
    #: which field, as a dotted path (`body.starts_at`), or empty for the whole body
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """RFC 9457 problem details, with our `code`, `request_id` and field-level `errors`."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    errors: list[FieldProblem] = msgspec.field(default_factory=list)
    retry_after: int | None = None
    #: the values the detail names (e.g. when and by whom a ticket was checked in), for the
    #: errors that show them. Numbers are `float` here, not `int | float`: the schema writes a
    #: union as oneOf, and a whole number is both a JSON Schema integer and a number
    params: dict[str, str | float | bool | None] | None = None


#: domain category → HTTP status
DOMAIN_STATUS: dict[type[domain.DomainError], HTTPStatus] = {
    domain.InvalidInput: HTTPStatus.UNPROCESSABLE_ENTITY,
    domain.NotFound: HTTPStatus.NOT_FOUND,
    domain.Conflict: HTTPStatus.CONFLICT,
    domain.NotAuthenticated: HTTPStatus.UNAUTHORIZED,
    domain.PermissionDenied: HTTPStatus.FORBIDDEN,
    domain.TooManyRequests: HTTPStatus.TOO_MANY_REQUESTS,
    domain.Unavailable: HTTPStatus.SERVICE_UNAVAILABLE,
}

#: status → (code, title, detail) in three languages, for errors raised by the framework
_STATUS_TEXTS: dict[int, tuple[str, Texts, Texts]] = {
    400: (
        "bad-request",
        {Language.KK: "Қате сұрау", Language.RU: "Неверный запрос", Language.EN: "Bad request"},
        {
            Language.KK: "Сұрауды оқу мүмкін болмады: өрістерді тексеріңіз.",
            Language.RU: "Запрос не удалось разобрать: проверьте поля.",
            Language.EN: "The request could not be understood: check the fields listed.",
        },
    ),
    401: (
        "not-authenticated",
        {
            Language.KK: "Кіру қажет",
            Language.RU: "Требуется вход",
            Language.EN: "Authentication required",
        },
        {
            Language.KK: "Жүйеге кіріңіз.",
            Language.RU: "Войдите в систему.",
            Language.EN: "Please sign in.",
        },
    ),
    403: (
        "permission-denied",
        {Language.KK: "Рұқсат жоқ", Language.RU: "Доступ запрещён", Language.EN: "Forbidden"},
        {
            Language.KK: "Бұл әрекетке құқығыңыз жоқ.",
            Language.RU: "У вас нет прав на это действие.",
            Language.EN: "You are not allowed to do this.",
        },
    ),
    404: (
        "not-found",
        {Language.KK: "Табылмады", Language.RU: "Не найдено", Language.EN: "Not found"},
        {
            Language.KK: "Бұл мекенжайда ештеңе жоқ.",
            Language.RU: "По этому адресу ничего нет.",
            Language.EN: "There is nothing at this address.",
        },
    ),
    405: (
        "method-not-allowed",
        {
            Language.KK: "Әдіске рұқсат жоқ",
            Language.RU: "Метод не разрешён",
            Language.EN: "Method not allowed",
        },
        {
            Language.KK: "Бұл мекенжай мұндай сұрауды қабылдамайды.",
            Language.RU: "Этот адрес не принимает такой запрос.",
            Language.EN: "This address does not accept this method.",
        },
    ),
    409: (
        "conflict",
        {Language.KK: "Қайшылық", Language.RU: "Конфликт", Language.EN: "Conflict"},
        {
            Language.KK: "Сұрау ағымдағы күйге қайшы келеді.",
            Language.RU: "Запрос противоречит текущему состоянию.",
            Language.EN: "The request conflicts with the current state.",
        },
    ),
    413: (
        "payload-too-large",
        {
            Language.KK: "Сұрау тым үлкен",
            Language.RU: "Слишком большой запрос",
            Language.EN: "Payload too large",
        },
        {
            Language.KK: "Сұрау денесі рұқсат етілген көлемнен асады.",
            Language.RU: "Тело запроса превышает допустимый размер.",
            Language.EN: "The request body is larger than allowed.",
        },
    ),
    415: (
        "unsupported-media-type",
        {
            Language.KK: "Қолдау көрсетілмейтін түр",
            Language.RU: "Неподдерживаемый тип",
            Language.EN: "Unsupported media type",
        },
        {
            Language.KK: "Сұрау денесін JSON түрінде жіберіңіз.",
            Language.RU: "Отправьте тело запроса в формате JSON.",
            Language.EN: "Send the request body as JSON.",
        },
    ),
    422: (
        "invalid-input",
        {
            Language.KK: "Деректер қабылданбады",
            Language.RU: "Данные не приняты",
            Language.EN: "Unprocessable content",
        },
        {
            Language.KK: "Деректер ережелерге сәйкес келмейді.",
            Language.RU: "Данные не соответствуют правилам.",
            Language.EN: "The data breaks a rule.",
        },
    ),
    429: (
        "too-many-requests",
        {
            Language.KK: "Сұраулар тым көп",
            Language.RU: "Слишком много запросов",
            Language.EN: "Too many requests",
        },
        {
            Language.KK: "Біраз күтіп, қайталап көріңіз.",
            Language.RU: "Подождите и повторите попытку.",
            Language.EN: "Please wait and try again.",
        },
    ),
    500: (
        "internal-error",
        {
            Language.KK: "Ішкі қате",
            Language.RU: "Внутренняя ошибка",
            Language.EN: "Internal server error",
        },
        {
            Language.KK: "Бізде бірдеңе дұрыс болмады. Сұрау нөмірін қолдау қызметіне айтыңыз.",
            Language.RU: "У нас что-то пошло не так. Сообщите номер запроса в поддержку.",
            Language.EN: "Something went wrong on our side. Quote the request id to support.",
        },
    ),
    503: (
        "unavailable",
        {
            Language.KK: "Қызмет қолжетімсіз",
            Language.RU: "Сервис недоступен",
            Language.EN: "Service unavailable",
        },
        {
            Language.KK: "Қызмет уақытша қолжетімсіз.",
            Language.RU: "Сервис временно недоступен.",
            Language.EN: "The service is temporarily unavailable.",
        },
    ),
}


def status_texts(status: int) -> tuple[str, Texts, Texts]:
    if status in _STATUS_TEXTS:
        return _STATUS_TEXTS[status]
    phrase = HTTPStatus(status).phrase
    slug = phrase.lower().replace(" ", "-")
    texts = dict.fromkeys(Language, phrase)
    return slug, texts, texts


def language_of(request: Request[Any, Any, Any]) -> Language:
    """The `lang` query parameter when it names one of ours (as for the content), else
    `Accept-Language`."""
    asked = request.query_params.get("lang")
    if asked in _LANGUAGE_VALUES:
        return Language(asked)
    return negotiate(request.headers.get("accept-language"))


_LANGUAGE_VALUES = frozenset(language.value for language in Language)


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    detail_texts: Texts | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    retry_after: int | None = None,
    shown_params: dict[str, str | float | bool | None] | None = None,
    **params: object,
) -> Response[Problem]:
    """A problem+json response; also used by handlers that answer an error themselves."""
    language = language_of(request)
    if detail_texts is not None:
        detail = pick(detail_texts, language).format(**params)
    default_code, titles, details = status_texts(status)
    # middleware does not run for unmatched routes, so the id may not be set yet
    request_id = request_id_of(request.scope) or incoming_request_id(request.scope)
    body = Problem(
        type="about:blank" if code is None else f"/problems/{code}",
        title=pick(titles, language),
        status=status,
        detail=detail if detail is not None else pick(details, language),
        code=code or default_code,
        request_id=request_id,
        errors=errors or [],
        retry_after=retry_after,
        params=shown_params,
    )
    all_headers = {
        REQUEST_ID_HEADER: request_id,
        "Content-Language": language.value,
        **(headers or {}),
    }
    if retry_after is not None:
        all_headers["Retry-After"] = str(retry_after)
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=all_headers)


def _public_name(request: Request[Any, Any, Any], key: str) -> str:
    """The name the client used for a parameter: Litestar reports the handler's own name
    (`until`), which differs when the parameter is declared under another (`to`)."""
    try:
        parameter = request.route_handler.parsed_fn_signature.parameters.get(key)
    except Exception:  # noqa: BLE001 - an unmatched route has no handler to ask
        return key
    declared = getattr(getattr(parameter, "kwarg_definition", None), "name", None)
    return declared if isinstance(declared, str) and declared else key


def _field_problems(request: Request[Any, Any, Any], error: HTTPException) -> list[FieldProblem]:
    """What exactly was wrong with the request, from Litestar's validation details."""
    problems: list[FieldProblem] = []
    extra = error.extra if isinstance(error.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        source = item.get("source") or "body"
        key = str(item.get("key") or "")
        if str(getattr(source, "value", source)) == "query":
            key = _public_name(request, key)
        problems.append(
            FieldProblem(
                source=str(getattr(source, "value", source)),
                field="" if key == "data" else key,  # "data" is our handlers' name for the body
                message=str(item.get("message", "")),
            )
        )
    if not problems and error.detail and error.detail != HTTPStatus(error.status_code).phrase:
        # e.g. msgspec's "JSON is malformed: ..." for a body that is not JSON at all
        problems.append(FieldProblem(source="body", field="", message=str(error.detail)))
    return problems


def handle_http_exception(
    request: Request[Any, Any, Any], error: HTTPException
) -> Response[Problem]:
    status = error.status_code
    if status >= 500:
        return handle_unexpected(request, error)
    headers = {
        name: value for name, value in (error.headers or {}).items() if name.lower() == "allow"
    }
    errors = _field_problems(request, error) if status == HTTPStatus.BAD_REQUEST else None
    return problem_response(request, status, errors=errors, headers=headers)


def handle_domain_error(
    request: Request[Any, Any, Any], error: domain.DomainError
) -> Response[Problem]:
    status = next(
        (code for kind, code in DOMAIN_STATUS.items() if isinstance(error, kind)),
        HTTPStatus.BAD_REQUEST,
    )
    retry_after = getattr(error, "retry_after", None)
    detail = error.message(language_of(request))
    errors = None
    if error.field is not None:
        errors = [FieldProblem(source="body", field=error.field, message=detail)]
    shown = None
    if error.shows_params:
        shown = {
            name: value if value is None or isinstance(value, str | int | float) else str(value)
            for name, value in error.params.items()
        }
    return problem_response(
        request,
        status,
        code=error.code,
        detail=detail,
        errors=errors,
        retry_after=retry_after,
        shown_params=shown,
    )


def handle_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    log.error(
        "unhandled error",
        method=request.method,
        path=request.url.path,
        request_id=request_id_of(request.scope),
        exc_info=error,
    )
    return problem_response(request, HTTPStatus.INTERNAL_SERVER_ERROR)


def handle_unstorable_data(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    """PostgreSQL refused a value (a NUL byte, an out-of-range number) that input validation let
    through: the request's fault, so a 400 rather than a 500; logged, since the schema should have
    caught it."""
    log.warning(
        "database refused a value", error=type(error).__name__, path=loggable_path(request.url.path)
    )
    return problem_response(request, HTTPStatus.BAD_REQUEST)


def handle_database_outage(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    """The connection to PostgreSQL broke in the middle of a request (outside the places where
    `year2026.db` turns a failure to connect into `DatabaseUnavailable`)."""
    log.warning(
        "database unavailable", error=type(error).__name__, path=loggable_path(request.url.path)
    )
    return handle_domain_error(request, domain.DatabaseUnavailable())


def handle_lock_timeout(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    """A statement waited for a lock longer than `year2026.db.LOCK_TIMEOUT`."""
    log.warning("lock timeout", path=loggable_path(request.url.path))
    return handle_domain_error(request, domain.DatabaseBusy())


def handle_redis_outage(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    log.warning(
        "redis unavailable", error=type(error).__name__, path=loggable_path(request.url.path)
    )
    return handle_domain_error(request, domain.RedisUnavailable())


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    asyncpg.exceptions.DataError: handle_unstorable_data,
    asyncpg.exceptions.LockNotAvailableError: handle_lock_timeout,
    asyncpg.exceptions.PostgresConnectionError: handle_database_outage,
    asyncpg.exceptions.OperatorInterventionError: handle_database_outage,
    asyncpg.exceptions.TooManyConnectionsError: handle_database_outage,
    redis.exceptions.ConnectionError: handle_redis_outage,
    redis.exceptions.TimeoutError: handle_redis_outage,
    domain.DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_MEDIA_TYPE",
    "FieldProblem",
    "Problem",
    "problem_response",
]
