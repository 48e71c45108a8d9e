"""Checks a request passes before its handler's parameters are read: a JSON body comes as JSON,
and bytes that are not readable JSON are the client's 400, never a 500 from inside the decoder.

Why the media type matters: a page on another site can make a browser POST `text/plain` (or a
form) here without a CORS preflight; only `application/json` needs one. Were such a body read as
JSON anyway, that page could sign a visitor up or in. So an endpoint that takes a JSON body
refuses any other declared type (or none) with a 415.

Why the bytes matter: msgspec raises `UnicodeDecodeError` for invalid UTF-8 inside a string and
`RecursionError` once nesting reaches the interpreter's recursion limit (~1,000 levels; it stops
there, so a deep body costs no more than that), and Litestar turns only `msgspec.DecodeError`
into a 400. The body is decoded here, once: Litestar keeps the decoded value for `data`. No schema
of ours nests deeper than a few levels, so anything between that and the decoder's limit is
refused by validation.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import (
    ClientException,
    HTTPException,
    SerializationException,
    ValidationException,
)
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE

#: `application/json` and structured-syntax JSON types (`application/merge-patch+json`, …)
_JSON_MEDIA_TYPE = re.compile(r"application/(?:[a-z0-9!#$&^_.-]+\+)?json")


def takes_json_body(handler: HTTPRouteHandler) -> bool:
    """Whether the handler reads a JSON request body (`data`, unless declared as a form)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    kwarg = data.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
    return media_type == RequestEncodingType.JSON


def is_json_media_type(media_type: str, options: dict[str, str]) -> bool:
    """`media_type` as Litestar parses it (lower-cased, parameters apart); a charset, if given,
    must be UTF-8, the only encoding JSON has (RFC 8259 §8.1)."""
    charset = options.get("charset", "utf-8").strip().lower()
    return _JSON_MEDIA_TYPE.fullmatch(media_type) is not None and charset in ("utf-8", "utf8")


async def refuse_unreadable_json_body(request: Request[Any, Any, Any]) -> None:
    """415 for a body declared as anything but JSON, 400 for bytes that are not JSON; an empty
    body is left to the handler's validation (it says what is missing)."""
    if not takes_json_body(request.route_handler):
        return
    body = await request.body()  # a 413 past the size limit
    if not body:
        return
    if not is_json_media_type(*request.content_type):
        raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    try:
        await request.json()
    except SerializationException as error:
        raise ClientException(str(error)) from error  # what Litestar says of malformed JSON
    except UnicodeDecodeError as error:
        raise ClientException("JSON is malformed: a string is not valid UTF-8") from error
    except RecursionError as error:
        raise ClientException("JSON is malformed: nested too deeply") from error
    _refuse_values_only_lenient_decoding_takes(request.route_handler, body)


#: a strict refusal of a number (or true/false) where text was expected
_NUMBER_FOR_TEXT = re.compile(r"Expected `([^`]*)`, got `(?:int|float|bool)`")
_TEXT_TYPES = {"str", "datetime", "date", "time", "timedelta", "uuid", "bytes", "decimal"}


def _refuse_values_only_lenient_decoding_takes(handler: HTTPRouteHandler, body: bytes) -> None:
    """Litestar converts a body with msgspec's lenient rules (made for query strings), which
    take a number for a date-time (as a Unix time) and the like, where the schema says a string:
    such a body is refused as the schema says, naming the field. Anything the strict rules
    refuse for another reason is left to Litestar's own validation and its messages."""
    data_type = handler.parsed_fn_signature.parameters["data"].annotation
    try:
        msgspec.json.decode(body, type=data_type, strict=True)
    except msgspec.ValidationError as strict_error:
        try:
            msgspec.json.decode(body, type=data_type, strict=False)
        except msgspec.ValidationError:
            return  # refused either way: Litestar says why
        message, _, path = str(strict_error).rpartition(" - at `")
        taken = _NUMBER_FOR_TEXT.match(message)
        if taken is None or not _TEXT_TYPES & set(re.findall(r"\w+", taken.group(1))):
            return  # e.g. 2016.0 for an integer: JSON Schema calls that an integer too
        key = path.removesuffix("`").removeprefix("$").removeprefix(".")
        raise ValidationException(
            detail="Validation failed", extra=[{"message": message, "key": key, "source": "body"}]
        ) from strict_error
    except msgspec.DecodeError:
        return  # not our concern here
