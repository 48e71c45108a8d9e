"""What can be wrong with a zone name or a recurrence rule (no HTTP here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from year2026.exceptions import InvalidInput
from year2026.i18n import Language, Texts, pick


class UnknownTimeZone(InvalidInput):
    code = "unknown-time-zone"
    messages: ClassVar[Texts] = {
        Language.KK: "«{zone}» уақыт белдеуі белгісіз. IANA атауын беріңіз, мысалы Asia/Almaty.",
        Language.RU: "Неизвестный часовой пояс «{zone}». Укажите имя IANA, например Asia/Almaty.",
        Language.EN: "Unknown time zone “{zone}”. Give an IANA name such as Asia/Almaty.",
    }


class InvalidRecurrence(InvalidInput):
    """A rule that does not parse, does not fit its start, or would give too many occurrences.

    `reason` is a stable slug (one of `REASONS`); the message explains it in the asked language.
    """

    code = "invalid-recurrence"
    messages: ClassVar[Texts] = {
        Language.KK: "Қайталану ережесі қабылданбады: {reason}.",
        Language.RU: "Правило повторения не принято: {reason}.",
        Language.EN: "The recurrence rule is not accepted: {reason}.",
    }
    #: each reason's words, formatted with the error's other params
    REASONS: ClassVar[Mapping[str, Texts]] = {
        "too-long": {
            Language.KK: "ұзындығы {length} таңба, ең көбі {limit} болады",
            Language.RU: "длина {length} символов, допустимо не больше {limit}",
            Language.EN: "it is {length} characters long, at most {limit} are allowed",
        },
        "syntax": {
            Language.KK: "«{part}» бөлігі оқылмайды",
            Language.RU: "не читается часть «{part}»",
            Language.EN: "“{part}” cannot be read",
        },
        "repeated-part": {
            Language.KK: "{part} екі рет берілген",
            Language.RU: "{part} указан дважды",
            Language.EN: "{part} is given twice",
        },
        "missing-frequency": {
            Language.KK: "FREQ берілмеген",
            Language.RU: "не указан FREQ",
            Language.EN: "FREQ is missing",
        },
        "parts-together": {
            Language.KK: "{part} мен {other} бірге қолданылмайды",
            Language.RU: "{part} нельзя использовать вместе с {other}",
            Language.EN: "{part} cannot be used with {other}",
        },
        "setpos-alone": {
            Language.KK: "BYSETPOS басқа BY… бөлігімен ғана қолданылады",
            Language.RU: "BYSETPOS используется только вместе с другой частью BY…",
            Language.EN: "BYSETPOS needs another BY… part",
        },
        "time-parts-all-day": {
            Language.KK: "күні бойғы іс-шара үшін {part} қолданылмайды",
            Language.RU: "{part} нельзя использовать для события на весь день",
            Language.EN: "{part} cannot be used for an all-day item",
        },
        "until-not-date": {
            Language.KK: "күні бойғы іс-шара үшін UNTIL күн болуы керек (ЖЖЖЖААКК)",
            Language.RU: "для события на весь день UNTIL должен быть датой (ГГГГММДД)",
            Language.EN: "UNTIL must be a date (YYYYMMDD) for an all-day item",
        },
        "until-not-utc": {
            Language.KK: "басталу уақыты бар іс-шара үшін UNTIL UTC күні мен уақыты болуы керек"
            " (YYYYMMDDTHHMMSSZ)",
            Language.RU: "для события со временем начала UNTIL должен быть датой и временем UTC"
            " (YYYYMMDDTHHMMSSZ)",
            Language.EN: "UNTIL must be a UTC date and time (YYYYMMDDTHHMMSSZ) for an item with"
            " a start time",
        },
        "until-before-start": {
            Language.KK: "UNTIL басталу уақытынан ерте",
            Language.RU: "UNTIL раньше начала",
            Language.EN: "UNTIL is before the start",
        },
        "count-too-large": {
            Language.KK: "COUNT = {count}, ең көбі {limit} болады",
            Language.RU: "COUNT = {count}, допустимо не больше {limit}",
            Language.EN: "COUNT is {count}, at most {limit} are allowed",
        },
        "interval-too-large": {
            Language.KK: "INTERVAL = {interval}, ең көбі {limit} болады",
            Language.RU: "INTERVAL = {interval}, допустимо не больше {limit}",
            Language.EN: "INTERVAL is {interval}, at most {limit} are allowed",
        },
        "too-many-per-year": {
            Language.KK: "бір жылда {per_year} рет қайталануы мүмкін, ең көбі {limit} болады",
            Language.RU: "за год может быть {per_year} повторений, допустимо не больше {limit}",
            Language.EN: "it can give {per_year} occurrences in a year, at most {limit} are"
            " allowed",
        },
        "frequency-too-fine": {
            Language.KK: "FREQ=MINUTELY мен FREQ=SECONDLY қабылданбайды; DAILY немесе HOURLY"
            " ережесін BYHOUR/BYMINUTE арқылы беріңіз",
            Language.RU: "FREQ=MINUTELY и FREQ=SECONDLY не принимаются; задайте правило DAILY"
            " или HOURLY с BYHOUR/BYMINUTE",
            Language.EN: "FREQ=MINUTELY and FREQ=SECONDLY are not accepted; write a DAILY or"
            " HOURLY rule with BYHOUR/BYMINUTE",
        },
        "start-not-in-rule": {
            Language.KK: "басталу уақыты ереже бойынша қайталанулардың бірі емес",
            Language.RU: "начало не совпадает ни с одним повторением по этому правилу",
            Language.EN: "the start is not one of the rule's own occurrences",
        },
    }

    def __init__(self, reason: str, **params: object) -> None:
        self.reason = reason
        super().__init__(reason=reason, **params)

    def message(self, language: Language) -> str:
        texts = self.REASONS.get(str(self.reason))
        explained = pick(texts, language).format(**self.params) if texts else str(self.reason)
        return pick(self.messages, language).format(**{**self.params, "reason": explained})
