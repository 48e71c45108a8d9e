"""The three languages people read: Kazakh, Russian, English; and choosing one for a request."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from asyncpg import Record


class Language(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


#: Kazakh first: the state language, and the fallback when nothing else matches.
DEFAULT_LANGUAGE = Language.KK

Texts = Mapping[Language, str]


def negotiate(accept_language: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The best of kk/ru/en for an `Accept-Language` header (RFC 9110 quality values)."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, Language]] = []
    for position, item in enumerate(accept_language.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if primary in Language._value2member_map_ and quality > 0:
            ranked.append((-quality, position, Language(primary)))
    return min(ranked)[2] if ranked else default


def pick(texts: Texts, language: Language) -> str:
    """The text in `language`, falling back to Kazakh, then Russian, then English."""
    for candidate in (language, Language.KK, Language.RU, Language.EN):
        if texts.get(candidate):
            return texts[candidate]
    return ""


#: the order texts fall back in when the asked language has none
FALLBACK_ORDER = (Language.KK, Language.RU, Language.EN)


def pick_with_language(texts: Texts, language: Language) -> tuple[str, Language | None]:
    """Like `pick`, and which language the text is in (None when there is no text at all), so
    that a reader can be told "shown in Russian"."""
    for candidate in (language, *FALLBACK_ORDER):
        if texts.get(candidate):
            return texts[candidate], candidate
    return "", None


def requested_language(lang: Language | None, accept_language: str | None) -> Language:
    """The reader's language: the `lang` query parameter when given, else `Accept-Language`."""
    return lang if lang is not None else negotiate(accept_language)


class LocalizedText(msgspec.Struct, kw_only=True):
    """A text in the reader's language when it is written in it, else in the first of Kazakh,
    Russian, English that is; `language` says which (null when there is no text at all), so a
    page can say "shown in Russian"."""

    text: str
    language: Language | None


def localized(row: Mapping[str, Any], name: str, language: Language) -> LocalizedText:
    """The `name_kk`/`_ru`/`_en` columns of a row as one text in `language` (or its fallback)."""
    texts = {candidate: row[f"{name}_{candidate.value}"] for candidate in Language}
    text, shown_in = pick_with_language(texts, language)
    return LocalizedText(text=text, language=shown_in)


def text_in(row: Mapping[str, Any] | Record, name: str, language: Language) -> str:
    """The `name_kk`/`_ru`/`_en` columns of a row as plain text in `language` (or its fallback;
    a null counts as unwritten): for calendars, files and messages."""
    texts = {candidate: row[f"{name}_{candidate.value}"] or "" for candidate in Language}
    return pick(texts, language)
