"""Errors of sign-in: plain domain exceptions, mapped to HTTP in `year2026.errors`."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import NotAuthenticated
from year2026.i18n import Language, Texts


class InvalidAccessToken(NotAuthenticated):
    """An access token that cannot be trusted: malformed, expired, or not ours.

    The message never says why, so a caller learns nothing to probe with; `reason` is a fixed slug
    from our own code (never token contents), for tests and debug logs, and is not shown.
    """

    code = "invalid-token"
    messages: ClassVar[Texts] = {
        Language.KK: "Кіру мерзімі өтіп кетті немесе жарамсыз. Қайта кіріңіз.",
        Language.RU: "Срок входа истёк или вход недействителен. Войдите снова.",
        Language.EN: "The sign-in has expired or is not valid; please sign in again.",
    }

    def __init__(self, reason: str = "invalid") -> None:
        super().__init__()
        self.reason = reason
