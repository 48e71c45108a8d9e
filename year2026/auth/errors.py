"""Errors of sign-in: plain domain exceptions, mapped to HTTP in `year2026.errors`."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import NotAuthenticated, NotFound, Unavailable
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


class _WithReason:
    """`reason` is a fixed slug from our own code (never provider text), for tests and logs only:
    the message stays the same, so a caller learns nothing to probe with."""

    def __init__(self, reason: str = "invalid") -> None:
        super().__init__()
        self.reason = reason


class OidcDisabled(NotFound):
    """No OpenID provider is configured (`YEAR2026_OIDC_ISSUER` unset)."""

    code = "oidc-disabled"
    messages: ClassVar[Texts] = {
        Language.KK: "Мұнда сыртқы провайдер арқылы кіру қосылмаған.",
        Language.RU: "Вход через внешнего провайдера здесь не включён.",
        Language.EN: "Sign-in with an external provider is not enabled here.",
    }


class OidcStateInvalid(_WithReason, NotAuthenticated):
    """The callback does not match a sign-in begun in this browser: unknown, expired or used
    `state`, or a missing or wrong binding cookie."""

    code = "oidc-state-invalid"
    messages: ClassVar[Texts] = {
        Language.KK: "Кіру сілтемесінің мерзімі өтті немесе ол басқа браузерде ашылды. "
        "Кіруді қайта бастаңыз.",
        Language.RU: "Ссылка для входа устарела или открыта в другом браузере. "
        "Начните вход заново.",
        Language.EN: "The sign-in link has expired or was opened in another browser. "
        "Please start again.",
    }


class OidcProviderRefused(_WithReason, NotAuthenticated):
    """The provider ended the sign-in with an error, or refused to exchange the code."""

    code = "oidc-provider-refused"
    messages: ClassVar[Texts] = {
        Language.KK: "Сәйкестендіру провайдері кіруді растамады. Қайталап көріңіз.",
        Language.RU: "Провайдер идентификации не подтвердил вход. Попробуйте ещё раз.",
        Language.EN: "The identity provider did not confirm the sign-in. Please try again.",
    }


class OidcTokenInvalid(_WithReason, NotAuthenticated):
    """The provider's ID token failed verification (signature, algorithm, claims or nonce)."""

    code = "oidc-token-invalid"
    messages: ClassVar[Texts] = {
        Language.KK: "Сәйкестендіру провайдерінің жауабы тексеруден өтпеді. Қайта кіріңіз.",
        Language.RU: "Ответ провайдера идентификации не прошёл проверку. Войдите снова.",
        Language.EN: "The identity provider's answer could not be verified. Please sign in again.",
    }


class OidcProviderUnavailable(Unavailable):
    """The provider does not answer, or answers with something we cannot use."""

    code = "oidc-provider-unavailable"
    messages: ClassVar[Texts] = {
        Language.KK: "Сәйкестендіру провайдері қазір жауап бермей тұр. Кейінірек қайталаңыз.",
        Language.RU: "Провайдер идентификации сейчас не отвечает. Повторите попытку позже.",
        Language.EN: "The identity provider is not answering right now. Please try again later.",
    }
